/**
 * `llm`: asks a cheap OpenAI-compatible model to classify the prompt. Any timeout, error or
 * unusable answer falls back to the `rules` classifier, so classification never fails a request.
 */
import type { JSONSchemaType } from 'ajv';
import type { Classification, Classifier, ClassifyInput, PluginContext, PluginDefinition } from '../../../src/plugins/types.js';
import { createRulesClassifier, type RulesOptions } from '../rules/index.js';
import { RULES_OPTION_KEYS, rulesOptionsProperties } from '../rules/schema.js';
import { SYSTEM_PROMPT, parseAnswer, userMessage } from './prompt.js';

export interface LlmOptions extends RulesOptions {
  base_url: string;
  api_key?: string;
  model: string;
  timeout_ms: number;
}

const optionsSchema: JSONSchemaType<LlmOptions> = {
  type: 'object',
  additionalProperties: false,
  required: ['base_url', 'model', 'timeout_ms', ...RULES_OPTION_KEYS],
  properties: {
    base_url: { type: 'string', minLength: 1, description: 'OpenAI-compatible API base URL, e.g. https://api.openai.com/v1.' },
    api_key: { type: 'string', nullable: true, description: 'Credential reference (vault:<name> or a literal), resolved on every call.' },
    model: { type: 'string', minLength: 1, description: 'The (cheap) model asked to classify, e.g. gpt-4o-mini.' },
    timeout_ms: { type: 'integer', minimum: 1, default: 1500, description: 'Time allowed for the answer before falling back to the rules.' },
    ...rulesOptionsProperties,
  },
};

const PROVIDER = 'classifier:llm';

async function askModel(options: Readonly<LlmOptions>, ctx: PluginContext, input: ClassifyInput): Promise<Classification | string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = ctx.secrets.resolve(options.api_key);
  if (key) headers.authorization = `Bearer ${key}`;
  const body = JSON.stringify({
    model: options.model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: userMessage(input) },
    ],
    temperature: 0,
    max_tokens: 60,
  });
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeout_ms);
  try {
    const res = await ctx.http.send(`${options.base_url.replace(/\/+$/, '')}/chat/completions`, {
      headers,
      body,
      signal: abort.signal,
      timeoutMs: options.timeout_ms,
      provider: PROVIDER,
    });
    if (res.status !== 200) {
      await res.discard();
      return `status ${res.status}`;
    }
    return parseAnswer(await res.text()) ?? 'unusable answer';
  } catch (err) {
    return abort.signal.aborted ? 'timeout' : err instanceof Error ? err.name : 'error';
  } finally {
    clearTimeout(timer);
  }
}

const llmClassifier: PluginDefinition<'classifier', LlmOptions, Classifier> = {
  apiVersion: 1,
  kind: 'classifier',
  name: 'llm',
  description: 'Asks a cheap OpenAI-compatible model to classify prompts, falling back to the rules classifier.',
  optionsSchema,
  create(options, ctx) {
    const fallback = createRulesClassifier(options);
    return {
      async classify(input) {
        const answer = await askModel(options, ctx, input).catch(() => 'error');
        if (typeof answer !== 'string') return answer;
        ctx.logger.warn({ classifier: 'llm', model: options.model, reason: answer }, 'llm classifier fell back to rules');
        return fallback.classify(input);
      },
    };
  },
};

export default llmClassifier;
