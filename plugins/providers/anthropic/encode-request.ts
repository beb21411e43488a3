/**
 * ChatRequest → Anthropic Messages request body. Anything Anthropic cannot take is reported in
 * `warnings` (surfaced to the client), never dropped silently.
 */
import type { ChatRequest, ImagePart, JsonObject, Message, ToolChoice } from '../../../src/formats/canonical.js';
import type { AnthropicBlock, AnthropicImageBlock, AnthropicMessageParam, AnthropicRequestBody, AnthropicToolChoice } from './wire.js';
import { isRecord } from './wire.js';
import { parseBoundedJson } from '../../../src/formats/json-depth.js';

export interface EncodedAnthropicRequest {
  readonly body: AnthropicRequestBody;
  readonly warnings: string[];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

export function encodeAnthropicRequest(req: ChatRequest): EncodedAnthropicRequest {
  const warnings: string[] = [];
  const system: string[] = [];
  const messages: AnthropicMessageParam[] = [];

  for (const message of req.messages) {
    if (message.role === 'system') {
      const text = message.content.map((p) => p.text).join('\n');
      if (text !== '') system.push(text);
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = encodeBlocks(message, warnings);
    if (blocks.length === 0) continue; // Anthropic rejects empty content
    const last = messages[messages.length - 1];
    if (last !== undefined && last.role === role) last.content = orderToolResultsFirst([...last.content, ...blocks]);
    else messages.push({ role, content: blocks });
  }

  const body: AnthropicRequestBody = {
    model: req.model,
    max_tokens: req.maxTokens,
    messages,
    stream: req.stream,
  };
  if (system.length > 0) body.system = system.join('\n\n');

  if (req.temperature !== undefined) {
    if (req.temperature > 1) {
      warnings.push(`temperature ${req.temperature} clamped to 1 (Anthropic's maximum)`);
      body.temperature = 1;
    } else {
      body.temperature = req.temperature;
    }
  }
  if (req.topP !== undefined) {
    // Recent Claude models reject requests that set both; temperature is the one clients set on purpose.
    if (body.temperature !== undefined) warnings.push('top_p ignored: Anthropic takes temperature or top_p, not both');
    else body.top_p = req.topP;
  }
  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = [...req.stop];
  if (req.user !== undefined && req.user !== '') body.metadata = { user_id: req.user };

  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = req.tools.map((t) => ({
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      input_schema: withObjectType(t.parameters),
    }));
    const choice = encodeToolChoice(req.toolChoice, req.parallelToolCalls);
    if (choice !== undefined) body.tool_choice = choice;
  } else if (req.toolChoice !== undefined && req.toolChoice.type !== 'none' && req.toolChoice.type !== 'auto') {
    warnings.push('tool_choice ignored: the request has no tools');
  }

  if (req.responseFormat !== undefined && req.responseFormat.type !== 'text') {
    warnings.push(`response_format ${req.responseFormat.type} is not supported by Anthropic and was ignored`);
  }
  return { body, warnings };
}

function encodeBlocks(message: Exclude<Message, { role: 'system' }>, warnings: string[]): AnthropicBlock[] {
  const out: AnthropicBlock[] = [];
  switch (message.role) {
    case 'user':
      for (const part of message.content) {
        if (part.type === 'text') {
          if (part.text !== '') out.push({ type: 'text', text: part.text });
        } else {
          out.push(encodeImage(part));
        }
      }
      break;
    case 'assistant':
      for (const part of message.content) {
        if (part.type === 'text') {
          if (part.text !== '') out.push({ type: 'text', text: part.text });
        } else if (part.type === 'tool-call') {
          out.push({ type: 'tool_use', id: part.id, name: part.name, input: parseArguments(part.arguments, part.name, warnings) });
        }
      }
      break;
    case 'tool':
      for (const part of message.content) {
        out.push({
          type: 'tool_result',
          tool_use_id: part.toolCallId,
          content: part.content,
          ...(part.isError === true ? { is_error: true } : {}),
        });
      }
      break;
  }
  return out;
}

function encodeImage(part: ImagePart): AnthropicImageBlock {
  if (part.source.kind === 'base64') {
    return { type: 'image', source: { type: 'base64', media_type: part.source.mediaType, data: part.source.data } };
  }
  const dataUrl = DATA_URL.exec(part.source.url);
  if (dataUrl !== null && dataUrl[1] !== undefined && dataUrl[2] !== undefined) {
    return { type: 'image', source: { type: 'base64', media_type: dataUrl[1], data: dataUrl[2] } };
  }
  return { type: 'image', source: { type: 'url', url: part.source.url } };
}

function parseArguments(text: string, toolName: string, warnings: string[]): JsonObject {
  if (text.trim() === '') return {};
  const parsed = parseBoundedJson(text);
  if (isRecord(parsed)) return parsed as JsonObject;
  warnings.push(`arguments of a previous ${toolName} tool call were not a JSON object and were sent as {}`);
  return {};
}

/** Anthropic requires tool_result blocks to precede any other content of a user turn. */
function orderToolResultsFirst(blocks: AnthropicBlock[]): AnthropicBlock[] {
  return [...blocks.filter((b) => b.type === 'tool_result'), ...blocks.filter((b) => b.type !== 'tool_result')];
}

function withObjectType(schema: JsonObject): JsonObject {
  return schema['type'] === undefined ? { type: 'object', ...schema } : schema;
}

function encodeToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): AnthropicToolChoice | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  switch (choice?.type) {
    case undefined:
      return parallel === false ? { type: 'auto', ...noParallel } : undefined;
    case 'auto':
      return { type: 'auto', ...noParallel };
    case 'required':
      return { type: 'any', ...noParallel };
    case 'tool':
      return { type: 'tool', name: choice.name, ...noParallel };
    case 'none':
      return { type: 'none' };
  }
}
