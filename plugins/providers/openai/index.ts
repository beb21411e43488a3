/**
 * Provider `openai`: any server that speaks the OpenAI Chat Completions API (OpenAI, vLLM,
 * Ollama, Groq, DeepSeek, LM Studio…).
 */
import type { JSONSchemaType } from 'ajv';
import { GatewayError } from '../../../src/errors.js';
import type { ChatRequest, ChatResult, StreamEvent } from '../../../src/formats/canonical.js';
import type { CallContext, PluginContext, PluginDefinition, Provider } from '../../../src/plugins/types.js';
import type { UpstreamResponse } from '../../../src/upstream/http-client.js';
import { decodeSseData, eventsOf } from '../../../src/upstream/event-batches.js';
import { decodeOpenAIResponse } from './decode-response.js';
import { createOpenAIStreamDecoder } from './decode-stream.js';
import { encodeOpenAIRequest, type MaxTokensField } from './encode-request.js';
import { mapOpenAIError } from './map-error.js';
import { resultToEvents } from './result-to-events.js';

export interface OpenAIOptions {
  base_url: string;
  api_key?: string;
  timeout_ms: number;
  headers?: Record<string, string>;
  stream_usage: boolean;
  max_tokens_field: MaxTokensField;
}

const PROVIDER_TYPE = 'openai';

const optionsSchema: JSONSchemaType<OpenAIOptions> = {
  type: 'object',
  additionalProperties: false,
  required: ['base_url', 'timeout_ms', 'stream_usage', 'max_tokens_field'],
  properties: {
    base_url: {
      type: 'string',
      default: 'https://api.openai.com/v1',
      pattern: '^https?://',
      description: 'Base URL of the OpenAI-compatible API, including the version path (e.g. http://localhost:11434/v1).',
    },
    api_key: {
      type: 'string',
      nullable: true,
      description: 'Credential reference: `vault:<name>`, `${ENV}` or a literal; resolved on every call, sent as a bearer token.',
    },
    timeout_ms: {
      type: 'integer',
      minimum: 1,
      default: 60000,
      description: 'Milliseconds allowed for the response headers and then between two streamed chunks.',
    },
    headers: {
      type: 'object',
      nullable: true,
      required: [],
      additionalProperties: { type: 'string' },
      description: 'Extra static headers sent with every request (e.g. OpenAI-Organization).',
    },
    stream_usage: {
      type: 'boolean',
      default: true,
      description: 'Ask for token usage in streamed answers (stream_options.include_usage); turn off for servers that reject it.',
    },
    max_tokens_field: {
      type: 'string',
      enum: ['max_tokens', 'max_completion_tokens'],
      default: 'max_tokens',
      description:
        'The request field for the output token limit: OpenAI o-series and GPT-5 models accept only max_completion_tokens; most compatible servers only max_tokens.',
    },
  },
};

function withWarnings(result: ChatResult, warnings: readonly string[]): ChatResult {
  return warnings.length > 0 ? { ...result, warnings: [...(result.warnings ?? []), ...warnings] } : result;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function createOpenAIProvider(options: Readonly<OpenAIOptions>, ctx: PluginContext): Provider {
  const provider = ctx.instanceName ?? PROVIDER_TYPE;
  const baseUrl = stripSlash(options.base_url);
  const endpoint = `${baseUrl}/chat/completions`;

  // Lower-cased once so a configured `Authorization` cannot end up sent twice.
  const extraHeaders = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

  const authHeaders = (): Record<string, string> => {
    const headers: Record<string, string> = { ...extraHeaders };
    const key = ctx.secrets.resolve(options.api_key);
    if (key !== undefined && key !== '') headers['authorization'] = `Bearer ${key}`;
    return headers;
  };

  const send = async (req: ChatRequest, call: CallContext, warnings: string[]): Promise<UpstreamResponse> => {
    const body = encodeOpenAIRequest(req, {
      streamUsage: options.stream_usage,
      maxTokensField: options.max_tokens_field,
      reasoning: call.capabilities?.has('reasoning') === true,
      warnings,
    });
    const res = await ctx.http.send(endpoint, {
      headers: {
        ...authHeaders(),
        'content-type': 'application/json',
        accept: req.stream ? 'text/event-stream' : 'application/json',
      },
      body: JSON.stringify(body),
      signal: call.signal,
      timeoutMs: options.timeout_ms,
      provider,
    });
    if (res.status < 200 || res.status >= 300) {
      const text = await res.text().catch(() => '');
      throw mapOpenAIError(provider, res.status, text);
    }
    return res;
  };

  const readJson = async (res: UpstreamResponse): Promise<ChatResult> => {
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      throw new GatewayError('upstream_bad_response', `Provider ${provider} sent a body that is not JSON`, { provider });
    }
    return decodeOpenAIResponse(provider, parsed);
  };

  async function* streamBatches(req: ChatRequest, call: CallContext): AsyncGenerator<StreamEvent[]> {
    const warnings: string[] = [];
    const res = await send({ ...req, stream: true }, call, warnings);
    const contentType = String(res.headers['content-type'] ?? '');
    // A server that ignores `stream: true` answers one JSON body; relay it as events.
    if (contentType.includes('application/json')) {
      yield resultToEvents(withWarnings(await readJson(res), warnings));
      return;
    }
    const decoder = createOpenAIStreamDecoder(provider, warnings);
    yield* decodeSseData(res.chunks(), decoder);
  }

  return {
    name: provider,
    capabilities: { streaming: true, tools: true, images: true, nativeFormat: 'openai' },

    async chat(req, call) {
      const warnings: string[] = [];
      return withWarnings(await readJson(await send({ ...req, stream: false }, call, warnings)), warnings);
    },

    stream(req, call) {
      return eventsOf(streamBatches(req, call));
    },

    streamBatches,

    passthroughTarget() {
      return { baseUrl, headers: authHeaders() };
    },
  };
}

const plugin: PluginDefinition<'provider', OpenAIOptions, Provider> = {
  apiVersion: 1,
  kind: 'provider',
  name: 'openai',
  description: 'Any OpenAI-compatible Chat Completions server (OpenAI, vLLM, Ollama, Groq, DeepSeek, LM Studio…).',
  optionsSchema,
  create: createOpenAIProvider,
};

export default plugin;
