/**
 * A Responses API request body → what the route needs: the canonical request parameters (the
 * messages are built once the stored history of previous_response_id is known), the fields the
 * response echoes, and the warnings for what is not supported. Invalid values are 400s naming
 * the field; fields Switchboard does not support are dropped with a warning, never a 400, because
 * real clients (Codex, the AI SDK) send them on every request.
 */
import type { ChatRequest, JsonObject, JsonValue, ReasoningRequest, ResponseFormat } from '../canonical.js';
import { given, invalid, jsonObject, oneOf, optBoolean, optInteger, optNumber, optString, record, string, type Rec } from '../openai/fields.js';
import { decodeToolChoice, decodeTools } from './decode-tools.js';
import { DecodeWarnings, quoted } from './warnings.js';
import type { ResponsesEcho } from './wire.js';

/** Absent max_output_tokens: agents (Codex) never send it and write long tool inputs. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/** Top-level fields read here; anything else is reported as unsupported. */
const KNOWN = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'reasoning',
  'max_output_tokens',
  'temperature',
  'top_p',
  'store',
  'metadata',
  'previous_response_id',
  'stream',
  'stream_options',
  'include',
  'prompt_cache_key',
  'user',
  'safety_identifier',
  'service_tier',
  'truncation',
  'background',
]);

type RequestParams = Omit<ChatRequest, 'messages'>;

export interface DecodedResponsesRequest {
  /** Everything of the canonical request but the messages. */
  readonly params: RequestParams;
  /** The raw `input` (validated when decoded into messages). */
  readonly input: unknown;
  readonly instructions: string | undefined;
  readonly previousResponseId: string | undefined;
  readonly store: boolean;
  /** include: ["reasoning.encrypted_content"]. */
  readonly includeEncryptedReasoning: boolean;
  readonly customTools: ReadonlySet<string>;
  readonly echo: ResponsesEcho;
  readonly warnings: DecodeWarnings;
}

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

function decodeReasoning(v: unknown): { request: ReasoningRequest | undefined; echo: ResponsesEcho['reasoning'] } {
  if (!given(v)) return { request: undefined, echo: { effort: null, summary: null } };
  const r = record(v, 'reasoning');
  const effort = given(r['effort']) ? oneOf(r['effort'], 'reasoning.effort', EFFORTS) : undefined;
  const summary = given(r['summary']) ? oneOf(r['summary'], 'reasoning.summary', ['auto', 'concise', 'detailed']) : null;
  const echo = { effort: effort ?? null, summary };
  if (effort === undefined) return { request: { enabled: true }, echo };
  if (effort === 'none') return { request: { enabled: false }, echo };
  return { request: { enabled: true, effort: effort === 'xhigh' ? 'max' : effort }, echo };
}

function decodeTextFormat(v: unknown, warnings: DecodeWarnings): { format: ResponseFormat | undefined; echo: ResponsesEcho['text'] } {
  if (!given(v)) return { format: undefined, echo: { format: { type: 'text' }, verbosity: 'medium' } };
  const text = record(v, 'text');
  const verbosity = given(text['verbosity']) ? oneOf(text['verbosity'], 'text.verbosity', ['low', 'medium', 'high']) : 'medium';
  if (verbosity !== 'medium') warnings.add(`text.verbosity ${quoted(verbosity)} is not supported; ignored`);
  if (!given(text['format'])) return { format: undefined, echo: { format: { type: 'text' }, verbosity } };
  const f = record(text['format'], 'text.format');
  const type = oneOf(f['type'], 'text.format.type', ['text', 'json_object', 'json_schema']);
  if (type !== 'json_schema') return { format: { type }, echo: { format: { type }, verbosity } };
  const name = given(f['name']) ? string(f['name'], 'text.format.name', true) : 'response';
  const schema = jsonObject(f['schema'], 'text.format.schema');
  const strict = optBoolean(f['strict'], 'text.format.strict');
  const description = optString(f['description'], 'text.format.description');
  const format: ResponseFormat = {
    type: 'json_schema',
    name,
    schema,
    ...(strict !== undefined ? { strict } : {}),
    ...(description !== undefined ? { description } : {}),
  };
  const echo: JsonObject = { type, name, schema, strict: strict ?? null, ...(description !== undefined ? { description } : {}) };
  return { format, echo: { format: echo, verbosity } };
}

function decodeMetadata(v: unknown): { [key: string]: string } {
  if (!given(v)) return {};
  const m = record(v, 'metadata');
  const entries = Object.entries(m);
  if (entries.length > 16) throw invalid('metadata', 'may have at most 16 keys');
  for (const [key, value] of entries) {
    if (key.length > 64) throw invalid('metadata', 'keys must be at most 64 characters');
    if (typeof value !== 'string' || value.length > 512) throw invalid(`metadata.${key}`, 'must be a string of at most 512 characters');
  }
  return m as { [key: string]: string };
}

function decodeInclude(v: unknown, warnings: DecodeWarnings): boolean {
  if (!given(v)) return false;
  if (!Array.isArray(v)) throw invalid('include', 'must be an array of strings');
  let encrypted = false;
  v.forEach((x: unknown, i) => {
    const value = string(x, `include[${i}]`);
    if (value === 'reasoning.encrypted_content') encrypted = true;
    else warnings.add(`include ${quoted(value)} is not supported; ignored`);
  });
  return encrypted;
}

function unsupportedFields(body: Rec, warnings: DecodeWarnings): void {
  for (const key of Object.keys(body)) if (!KNOWN.has(key) && given(body[key])) warnings.add(`${quoted(key)} is not supported; ignored`);
  if (body['background'] === true) warnings.add('"background" is not supported; answered in the foreground');
  if (given(body['prompt_cache_key'])) warnings.add('"prompt_cache_key" has no effect (provider prompt caching is automatic or set per part)');
}

export function decodeResponsesRequest(body: unknown): DecodedResponsesRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'must be a JSON object');
  const b = body as Rec;
  const warnings = new DecodeWarnings();
  if (given(b['conversation'])) throw invalid('conversation', 'is not supported; use previous_response_id');
  if (!given(b['input'])) throw invalid('input', 'is required (a string or an array of input items)');
  if (typeof b['input'] !== 'string' && !Array.isArray(b['input'])) throw invalid('input', 'must be a string or an array of input items');
  unsupportedFields(b, warnings);

  const model = given(b['model']) ? string(b['model'], 'model', true) : 'auto';
  const instructions = optString(b['instructions'], 'instructions');
  const { tools, customTools, echo: toolsEcho } = decodeTools(b['tools'], warnings);
  const toolChoice = decodeToolChoice(b['tool_choice'], tools, warnings);
  const parallelToolCalls = optBoolean(b['parallel_tool_calls'], 'parallel_tool_calls');
  const text = decodeTextFormat(b['text'], warnings);
  const reasoning = decodeReasoning(b['reasoning']);
  const maxOutput = optInteger(b['max_output_tokens'], 'max_output_tokens', 1);
  const temperature = optNumber(b['temperature'], 'temperature', 0, 2);
  const topP = optNumber(b['top_p'], 'top_p', 0, 1);
  const store = optBoolean(b['store'], 'store') ?? true;
  const metadata = decodeMetadata(b['metadata']);
  const previousResponseId = given(b['previous_response_id']) ? string(b['previous_response_id'], 'previous_response_id', true) : undefined;
  const stream = optBoolean(b['stream'], 'stream') ?? false;
  const includeEncryptedReasoning = decodeInclude(b['include'], warnings);
  const promptCacheKey = optString(b['prompt_cache_key'], 'prompt_cache_key');
  const user = optString(b['user'], 'user');
  const safetyIdentifier = optString(b['safety_identifier'], 'safety_identifier');
  const serviceTier = optString(b['service_tier'], 'service_tier');
  if (serviceTier !== undefined && serviceTier !== 'auto' && serviceTier !== 'default')
    warnings.add(`service_tier ${quoted(serviceTier)} is not supported; ignored`);
  const truncation = given(b['truncation']) ? oneOf(b['truncation'], 'truncation', ['auto', 'disabled']) : 'disabled';
  if (truncation === 'auto') warnings.add('truncation "auto" is not supported; a prompt that does not fit fails');
  if (!stream && given(b['stream_options'])) warnings.add('"stream_options" needs stream: true; ignored');

  const endUser = safetyIdentifier ?? user;
  const params: RequestParams = {
    model,
    maxTokens: maxOutput ?? DEFAULT_MAX_OUTPUT_TOKENS,
    stream,
    ...(temperature !== undefined ? { temperature } : {}),
    ...(topP !== undefined ? { topP } : {}),
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice !== undefined ? { toolChoice } : {}),
    ...(text.format !== undefined ? { responseFormat: text.format } : {}),
    ...(parallelToolCalls !== undefined ? { parallelToolCalls } : {}),
    ...(endUser !== undefined ? { user: endUser } : {}),
    ...(reasoning.request !== undefined ? { reasoning: reasoning.request } : {}),
  };
  const echo: ResponsesEcho = {
    instructions: instructions ?? null,
    max_output_tokens: maxOutput ?? null,
    metadata,
    parallel_tool_calls: parallelToolCalls ?? true,
    previous_response_id: previousResponseId ?? null,
    reasoning: reasoning.echo,
    store,
    temperature: temperature ?? null,
    top_p: topP ?? null,
    text: text.echo,
    tool_choice: (given(b['tool_choice']) ? b['tool_choice'] : 'auto') as JsonValue,
    tools: toolsEcho,
    truncation,
    service_tier: 'default',
    prompt_cache_key: promptCacheKey ?? null,
    safety_identifier: safetyIdentifier ?? null,
    ...(user !== undefined ? { user } : {}),
  };
  return { params, input: b['input'], instructions, previousResponseId, store, includeEncryptedReasoning, customTools, echo, warnings };
}
