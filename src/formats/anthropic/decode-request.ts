/**
 * Client-facing Anthropic Messages request → ChatRequest. Every rejection names the field as a
 * path (`messages[1].content[0].type: …`) in a request_invalid error. Unlike /v1/chat/completions
 * no temperature is injected: absent stays absent (Anthropic's own default is 1).
 */
import type { ChatRequest, JsonObject, Message, ToolChoice, ToolDefinition } from '../canonical.js';
import { decodeMessage, decodeSystem, otherFields } from './decode-content.js';
import { arr, cacheControlOf, given, invalid, isObj, obj, optNumber, optStr, str } from './decode-fields.js';
import { decodeOptions, type HeaderBag } from './decode-options.js';

export function decodeAnthropicRequest(body: unknown, headers?: HeaderBag): ChatRequest {
  if (!isObj(body)) throw invalid('body', 'must be a JSON object');

  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined || maxTokens === null) throw invalid('max_tokens', 'required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw invalid('max_tokens', 'must be a positive integer');
  }

  const model = body['model'] === undefined || body['model'] === null ? 'auto' : str(body['model'], 'model');
  const rawMessages = arr(body['messages'], 'messages');
  if (rawMessages.length === 0) throw invalid('messages', 'must contain at least one message');

  const messages: Message[] = [...decodeSystem(body['system'])];
  rawMessages.forEach((m, i) => messages.push(...decodeMessage(m, `messages[${i}]`)));

  const stream = body['stream'];
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') throw invalid('stream', 'must be a boolean');

  const req: {
    -readonly [K in keyof ChatRequest]: ChatRequest[K];
  } = {
    model,
    messages,
    maxTokens,
    stream: stream === true,
    ...decodeOptions(body, headers),
  };
  const temperature = optNumber(body['temperature'], 'temperature', 0, 1);
  if (temperature !== undefined) req.temperature = temperature;
  const topP = optNumber(body['top_p'], 'top_p', 0, 1);
  if (topP !== undefined) req.topP = topP;

  if (given(body['stop_sequences'])) {
    req.stop = arr(body['stop_sequences'], 'stop_sequences').map((s, i) => str(s, `stop_sequences[${i}]`));
  }
  if (given(body['tools'])) {
    req.tools = arr(body['tools'], 'tools').map((t, i) => decodeTool(t, `tools[${i}]`));
  }
  if (given(body['tool_choice'])) {
    const { choice, parallel } = decodeToolChoice(body['tool_choice']);
    req.toolChoice = choice;
    if (parallel === false) req.parallelToolCalls = false;
  }
  if (given(body['metadata'])) {
    const userId = optStr(obj(body['metadata'], 'metadata')['user_id'], 'metadata.user_id');
    if (userId !== undefined) req.user = userId;
  }
  return req;
}

function decodeTool(value: unknown, path: string): ToolDefinition {
  const tool = obj(value, path);
  const type = tool['type'];
  if (type !== undefined && type !== null && type !== 'custom') {
    throw invalid(`${path}.type`, `unsupported tool type '${String(type)}' (only client tools with an input_schema)`);
  }
  const schema = obj(tool['input_schema'], `${path}.input_schema`);
  const description = optStr(tool['description'], `${path}.description`);
  const fields = otherFields(tool, ['type', 'name', 'description', 'input_schema', 'cache_control']);
  return {
    name: str(tool['name'], `${path}.name`),
    ...(description !== undefined ? { description } : {}),
    parameters: schema as JsonObject,
    ...cacheControlOf(tool, path),
    ...(fields !== undefined ? { anthropic: fields } : {}),
  };
}

function decodeToolChoice(value: unknown): { choice: ToolChoice; parallel: boolean | undefined } {
  const choice = obj(value, 'tool_choice');
  const disable = choice['disable_parallel_tool_use'];
  if (disable !== undefined && typeof disable !== 'boolean') throw invalid('tool_choice.disable_parallel_tool_use', 'must be a boolean');
  const parallel = disable === true ? false : undefined;
  switch (choice['type']) {
    case 'auto':
      return { choice: { type: 'auto' }, parallel };
    case 'any':
      return { choice: { type: 'required' }, parallel };
    case 'none':
      return { choice: { type: 'none' }, parallel };
    case 'tool':
      return { choice: { type: 'tool', name: str(choice['name'], 'tool_choice.name') }, parallel };
    default:
      throw invalid('tool_choice.type', "must be 'auto', 'any', 'tool' or 'none'");
  }
}
