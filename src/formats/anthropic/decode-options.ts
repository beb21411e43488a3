/**
 * The Anthropic request fields beyond messages and tools: `thinking`, `output_config`
 * (effort, format), the beta `output_format`, `context_management`, the `anthropic-beta` header,
 * and every other top-level field, kept verbatim for Anthropic providers.
 */
import type { AnthropicPassthrough, JsonObject, ReasoningRequest, ResponseFormat } from '../canonical.js';
import { given, invalid, obj, type Obj } from './decode-fields.js';

/** Fields the decoder maps itself; any other top-level field is passed through as `extra`. */
const MAPPED = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'stream',
  'temperature',
  'top_p',
  'stop_sequences',
  'tools',
  'tool_choice',
  'metadata',
  'thinking',
  'output_config',
  'output_format',
  'context_management',
]);

const EFFORTS = ['minimal', 'low', 'medium', 'high', 'max'] as const;
type Effort = (typeof EFFORTS)[number];

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface DecodedOptions {
  reasoning?: ReasoningRequest;
  responseFormat?: ResponseFormat;
  anthropic?: AnthropicPassthrough;
}

export function decodeOptions(body: Obj, headers: HeaderBag | undefined): DecodedOptions {
  const out: DecodedOptions = {};
  const outputConfig = given(body['output_config']) ? obj(body['output_config'], 'output_config') : {};
  const effort = decodeEffort(outputConfig['effort']);
  const reasoning = decodeThinking(body['thinking'], effort);
  if (reasoning !== undefined) out.reasoning = reasoning;

  const format = given(outputConfig['format'])
    ? decodeFormat(outputConfig['format'], 'output_config.format')
    : given(body['output_format'])
      ? decodeFormat(body['output_format'], 'output_format')
      : undefined;
  if (format !== undefined) out.responseFormat = format;

  const extra: JsonObject = {};
  for (const [key, value] of Object.entries(body)) if (!MAPPED.has(key) && value !== undefined) extra[key] = value as JsonObject[string];
  // Sub-fields without a canonical meaning (thinking.display, output_config.task_budget…) travel as extra.
  const restConfig = Object.fromEntries(Object.entries(outputConfig).filter(([k]) => k !== 'effort' && k !== 'format'));
  if (Object.keys(restConfig).length > 0) extra['output_config'] = restConfig as JsonObject;
  if (given(body['thinking'])) {
    const restThinking = Object.fromEntries(Object.entries(obj(body['thinking'], 'thinking')).filter(([k]) => k !== 'type' && k !== 'budget_tokens'));
    if (Object.keys(restThinking).length > 0) extra['thinking'] = restThinking as JsonObject;
  }

  const betas = betasOf(headers);
  const anthropic: { -readonly [K in keyof AnthropicPassthrough]: AnthropicPassthrough[K] } = {};
  if (betas.length > 0) anthropic.betas = betas;
  if (given(body['context_management'])) anthropic.contextManagement = obj(body['context_management'], 'context_management') as JsonObject;
  if (Object.keys(extra).length > 0) anthropic.extra = extra;
  if (Object.keys(anthropic).length > 0) out.anthropic = anthropic;
  return out;
}

function decodeEffort(value: unknown): Effort | undefined {
  if (!given(value)) return undefined;
  if (typeof value !== 'string' || !(EFFORTS as readonly string[]).includes(value)) {
    throw invalid('output_config.effort', `must be one of ${EFFORTS.join(', ')}`);
  }
  return value as Effort;
}

function decodeThinking(value: unknown, effort: Effort | undefined): ReasoningRequest | undefined {
  const withEffort = effort !== undefined ? { effort } : {};
  if (!given(value)) return effort !== undefined ? { enabled: true, effortOnly: true, ...withEffort } : undefined;
  const thinking = obj(value, 'thinking');
  switch (thinking['type']) {
    case 'enabled': {
      const budget = thinking['budget_tokens'];
      if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1) throw invalid('thinking.budget_tokens', 'must be a positive integer');
      return { enabled: true, budgetTokens: budget, ...withEffort };
    }
    case 'adaptive':
      return { enabled: true, adaptive: true, ...withEffort };
    case 'disabled':
      return { enabled: false, ...withEffort };
    default:
      throw invalid('thinking.type', "must be 'enabled', 'adaptive' or 'disabled'");
  }
}

function decodeFormat(value: unknown, path: string): ResponseFormat {
  const format = obj(value, path);
  if (format['type'] !== 'json_schema') throw invalid(`${path}.type`, "must be 'json_schema'");
  const schema = obj(format['schema'], `${path}.schema`) as JsonObject;
  return { type: 'json_schema', name: 'response', schema };
}

function betasOf(headers: HeaderBag | undefined): string[] {
  const raw = headers?.['anthropic-beta'];
  if (raw === undefined) return [];
  const values = typeof raw === 'string' ? [raw] : raw;
  return values
    .flatMap((v) => v.split(','))
    .map((b) => b.trim())
    .filter((b) => b !== '');
}
