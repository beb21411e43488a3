/**
 * Client-facing edge: an OpenAI Chat Completions request body → canonical ChatRequest.
 * Every invalid field is a request_invalid error naming its path; unknown fields are ignored
 * (OpenAI clients send many). Defaults per the contract: model "auto", temperature 0.2,
 * max tokens 2048, stream false.
 */
import type { ChatRequest, ReasoningRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../canonical.js';
import { decodeMessages } from './decode-messages.js';
import { given, invalid, isRecord, jsonObject, oneOf, optBoolean, optInteger, optNumber, optString, record, string, type Rec } from './fields.js';

export interface DecodedOpenAIRequest {
  readonly request: ChatRequest;
  /** `stream_options.include_usage`: send the final usage chunk. */
  readonly includeUsage: boolean;
}

export const DEFAULT_TEMPERATURE = 0.2;
export const DEFAULT_MAX_TOKENS = 2048;

export function decodeOpenAIChatRequest(body: unknown): DecodedOpenAIRequest {
  if (!isRecord(body)) throw invalid('body', 'must be a JSON object');

  const model = given(body['model']) ? string(body['model'], 'model', true) : 'auto';
  const rawMessages = body['messages'];
  if (!Array.isArray(rawMessages) || rawMessages.length === 0) throw invalid('messages', 'must be a non-empty array');
  const messages = decodeMessages(rawMessages);

  const n = optInteger(body['n'], 'n', 1);
  if (n !== undefined && n !== 1) throw invalid('n', 'only 1 is supported');

  const maxTokens =
    optInteger(body['max_completion_tokens'], 'max_completion_tokens', 1) ?? optInteger(body['max_tokens'], 'max_tokens', 1) ?? DEFAULT_MAX_TOKENS;
  const stream = optBoolean(body['stream'], 'stream') ?? false;
  const streamOptions = given(body['stream_options']) ? record(body['stream_options'], 'stream_options') : {};
  const includeUsage = stream && (optBoolean(streamOptions['include_usage'], 'stream_options.include_usage') ?? false);

  const tools = decodeTools(body);
  const toolChoice = decodeToolChoice(body, tools);
  const topP = optNumber(body['top_p'], 'top_p', 0, 1);
  const stop = decodeStop(body['stop']);
  const responseFormat = decodeResponseFormat(body['response_format']);
  const parallelToolCalls = optBoolean(body['parallel_tool_calls'], 'parallel_tool_calls');
  const user = optString(body['user'], 'user');
  const reasoning = decodeReasoning(body);

  const request: ChatRequest = {
    model,
    messages,
    maxTokens,
    temperature: optNumber(body['temperature'], 'temperature', 0, 2) ?? DEFAULT_TEMPERATURE,
    stream,
    ...(topP !== undefined ? { topP } : {}),
    ...(stop !== undefined ? { stop } : {}),
    ...(tools !== undefined ? { tools } : {}),
    ...(toolChoice !== undefined ? { toolChoice } : {}),
    ...(responseFormat !== undefined ? { responseFormat } : {}),
    ...(parallelToolCalls !== undefined ? { parallelToolCalls } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(reasoning !== undefined ? { reasoning } : {}),
  };
  return { request, includeUsage };
}

function decodeStop(v: unknown): string[] | undefined {
  if (!given(v)) return undefined;
  if (typeof v === 'string') return v === '' ? undefined : [v];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw invalid('stop', 'must be a string or an array of strings');
  const stops = v.filter((s) => s !== '');
  return stops.length > 0 ? stops : undefined;
}

function decodeFunction(fn: Rec, path: string): ToolDefinition {
  const description = optString(fn['description'], `${path}.description`);
  return {
    name: string(fn['name'], `${path}.name`, true),
    ...(description !== undefined ? { description } : {}),
    parameters: given(fn['parameters']) ? jsonObject(fn['parameters'], `${path}.parameters`) : { type: 'object', properties: {} },
  };
}

/** `tools`, or the legacy `functions` when there are no tools. */
function decodeTools(body: Rec): ToolDefinition[] | undefined {
  if (given(body['tools'])) {
    const tools = body['tools'];
    if (!Array.isArray(tools)) throw invalid('tools', 'must be an array');
    return tools.map((t: unknown, i) => {
      const tool = record(t, `tools[${i}]`);
      oneOf(tool['type'], `tools[${i}].type`, ['function']);
      return decodeFunction(record(tool['function'], `tools[${i}].function`), `tools[${i}].function`);
    });
  }
  if (given(body['functions'])) {
    const fns = body['functions'];
    if (!Array.isArray(fns)) throw invalid('functions', 'must be an array');
    return fns.map((f: unknown, i) => decodeFunction(record(f, `functions[${i}]`), `functions[${i}]`));
  }
  return undefined;
}

function decodeToolChoice(body: Rec, tools: readonly ToolDefinition[] | undefined): ToolChoice | undefined {
  const legacy = !given(body['tool_choice']) && given(body['function_call']);
  const path = legacy ? 'function_call' : 'tool_choice';
  const v = legacy ? body['function_call'] : body['tool_choice'];
  if (!given(v)) return undefined;
  if (typeof v === 'string') {
    const type = oneOf(v, path, legacy ? ['auto', 'none'] : ['auto', 'none', 'required']);
    if (type === 'required' && (tools ?? []).length === 0) throw invalid(path, '"required" needs at least one tool in tools');
    return { type };
  }
  if (!isRecord(v)) throw invalid(path, 'must be "auto", "none", "required" or {"type":"function","function":{"name":…}}');
  const name = legacy
    ? string(v['name'], `${path}.name`, true)
    : (oneOf(v['type'], `${path}.type`, ['function']), string(record(v['function'], `${path}.function`)['name'], `${path}.function.name`, true));
  if (!(tools ?? []).some((t) => t.name === name)) throw invalid(`${path}${legacy ? '' : '.function'}.name`, `no tool named "${name}" in tools`);
  return { type: 'tool', name };
}

function decodeResponseFormat(v: unknown): ResponseFormat | undefined {
  if (!given(v)) return undefined;
  const rf = record(v, 'response_format');
  const type = oneOf(rf['type'], 'response_format.type', ['text', 'json_object', 'json_schema']);
  if (type !== 'json_schema') return { type };
  const js = record(rf['json_schema'], 'response_format.json_schema');
  const strict = optBoolean(js['strict'], 'response_format.json_schema.strict');
  const description = optString(js['description'], 'response_format.json_schema.description');
  return {
    type: 'json_schema',
    name: given(js['name']) ? string(js['name'], 'response_format.json_schema.name', true) : 'response',
    schema: given(js['schema']) ? jsonObject(js['schema'], 'response_format.json_schema.schema') : { type: 'object' },
    ...(strict !== undefined ? { strict } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

function effortOf(v: unknown, path: string): Pick<ReasoningRequest, 'enabled' | 'effort'> {
  const effort = oneOf(v, path, EFFORTS);
  if (effort === 'none') return { enabled: false };
  return { enabled: true, effort: effort === 'xhigh' ? 'max' : effort };
}

/** OpenAI `reasoning_effort`, or OpenRouter's `reasoning: {effort, max_tokens, enabled}`. */
function decodeReasoning(body: Rec): ReasoningRequest | undefined {
  if (given(body['reasoning_effort'])) return effortOf(body['reasoning_effort'], 'reasoning_effort');
  if (!given(body['reasoning'])) return undefined;
  const r = record(body['reasoning'], 'reasoning');
  const base = given(r['effort']) ? effortOf(r['effort'], 'reasoning.effort') : { enabled: true };
  const budget = optInteger(r['max_tokens'], 'reasoning.max_tokens', 1);
  const enabled = optBoolean(r['enabled'], 'reasoning.enabled');
  return { ...base, ...(budget !== undefined ? { budgetTokens: budget } : {}), ...(enabled !== undefined ? { enabled } : {}) };
}
