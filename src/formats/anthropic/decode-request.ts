/**
 * Client-facing Anthropic Messages request → ChatRequest. Every rejection names the field as a
 * path (`messages[1].content[0].type: …`) in a request_invalid error.
 */
import { GatewayError } from '../../errors.js';
import type {
  AssistantMessage,
  ChatRequest,
  ImagePart,
  JsonObject,
  Message,
  TextPart,
  ToolCallPart,
  ToolChoice,
  ToolDefinition,
  ToolResultPart,
} from '../canonical.js';

const DEFAULT_TEMPERATURE = 0.2;

type Obj = Record<string, unknown>;

function invalid(path: string, what: string): GatewayError {
  return new GatewayError('request_invalid', `${path}: ${what}`);
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown, path: string): Obj {
  if (!isObj(value)) throw invalid(path, value === undefined ? 'required' : 'must be an object');
  return value;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, value === undefined ? 'required' : 'must be a string');
  return value;
}

function optStr(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : str(value, path);
}

function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(path, value === undefined ? 'required' : 'must be an array');
  return value;
}

function optNumber(value: unknown, path: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'must be a number');
  if (value < min || value > max) throw invalid(path, `must be between ${min} and ${max}`);
  return value;
}

export function decodeAnthropicRequest(body: unknown): ChatRequest {
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
    temperature: optNumber(body['temperature'], 'temperature', 0, 1) ?? DEFAULT_TEMPERATURE,
    stream: stream === true,
  };
  const topP = optNumber(body['top_p'], 'top_p', 0, 1);
  if (topP !== undefined) req.topP = topP;

  if (body['stop_sequences'] !== undefined && body['stop_sequences'] !== null) {
    req.stop = arr(body['stop_sequences'], 'stop_sequences').map((s, i) => str(s, `stop_sequences[${i}]`));
  }
  if (body['tools'] !== undefined && body['tools'] !== null) {
    req.tools = arr(body['tools'], 'tools').map((t, i) => decodeTool(t, `tools[${i}]`));
  }
  if (body['tool_choice'] !== undefined && body['tool_choice'] !== null) {
    const { choice, parallel } = decodeToolChoice(body['tool_choice']);
    req.toolChoice = choice;
    if (parallel === false) req.parallelToolCalls = false;
  }
  if (body['metadata'] !== undefined && body['metadata'] !== null) {
    const userId = optStr(obj(body['metadata'], 'metadata')['user_id'], 'metadata.user_id');
    if (userId !== undefined) req.user = userId;
  }
  return req;
}

function decodeSystem(system: unknown): Message[] {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ role: 'system', content: [{ type: 'text', text: system }] }];
  const parts = arr(system, 'system').map((b, i): TextPart => {
    const block = obj(b, `system[${i}]`);
    if (block['type'] !== 'text') throw invalid(`system[${i}].type`, "must be 'text'");
    return { type: 'text', text: str(block['text'], `system[${i}].text`) };
  });
  return parts.length === 0 ? [] : [{ role: 'system', content: parts }];
}

function decodeMessage(value: unknown, path: string): Message[] {
  const message = obj(value, path);
  const role = message['role'];
  if (role !== 'user' && role !== 'assistant') throw invalid(`${path}.role`, "must be 'user' or 'assistant'");
  const content = message['content'];
  if (typeof content === 'string') return [{ role, content: [{ type: 'text', text: content }] }];
  const blocks = arr(content, `${path}.content`);

  if (role === 'assistant') {
    const parts: AssistantMessage['content'][number][] = [];
    blocks.forEach((b, i) => {
      const part = decodeAssistantBlock(b, `${path}.content[${i}]`);
      if (part !== null) parts.push(part);
    });
    return [{ role, content: parts }];
  }

  const results: ToolResultPart[] = [];
  const parts: (TextPart | ImagePart)[] = [];
  blocks.forEach((b, i) => {
    const p = `${path}.content[${i}]`;
    const block = obj(b, p);
    switch (block['type']) {
      case 'text':
        parts.push({ type: 'text', text: str(block['text'], `${p}.text`) });
        break;
      case 'image':
        parts.push(decodeImage(block, p));
        break;
      case 'tool_result':
        results.push(decodeToolResult(block, p));
        break;
      case 'tool_use':
        throw invalid(`${p}.type`, "'tool_use' blocks belong in assistant messages");
      default:
        throw unknownBlock(block['type'], p);
    }
  });
  const out: Message[] = [];
  if (results.length > 0) out.push({ role: 'tool', content: results });
  if (parts.length > 0 || results.length === 0) out.push({ role: 'user', content: parts });
  return out;
}

function decodeAssistantBlock(value: unknown, path: string): TextPart | ToolCallPart | null {
  const block = obj(value, path);
  switch (block['type']) {
    case 'text':
      return { type: 'text', text: str(block['text'], `${path}.text`) };
    case 'tool_use': {
      const input = block['input'] ?? {};
      if (!isObj(input)) throw invalid(`${path}.input`, 'must be an object');
      return { type: 'tool-call', id: str(block['id'], `${path}.id`), name: str(block['name'], `${path}.name`), arguments: JSON.stringify(input) };
    }
    case 'thinking':
    case 'redacted_thinking':
      return null; // earlier model output the client echoes back; no other model can use it
    case 'image':
    case 'tool_result':
      throw invalid(`${path}.type`, `'${String(block['type'])}' blocks belong in user messages`);
    default:
      throw unknownBlock(block['type'], path);
  }
}

function unknownBlock(type: unknown, path: string): GatewayError {
  return typeof type === 'string' ? invalid(`${path}.type`, `unknown block type '${type}'`) : invalid(`${path}.type`, 'required');
}

function decodeImage(block: Obj, path: string): ImagePart {
  const source = obj(block['source'], `${path}.source`);
  if (source['type'] === 'base64') {
    return {
      type: 'image',
      source: { kind: 'base64', mediaType: str(source['media_type'], `${path}.source.media_type`), data: str(source['data'], `${path}.source.data`) },
    };
  }
  if (source['type'] === 'url') return { type: 'image', source: { kind: 'url', url: str(source['url'], `${path}.source.url`) } };
  throw invalid(`${path}.source.type`, "must be 'base64' or 'url'");
}

function decodeToolResult(block: Obj, path: string): ToolResultPart {
  const toolCallId = str(block['tool_use_id'], `${path}.tool_use_id`);
  const raw = block['content'];
  let content = '';
  if (typeof raw === 'string') content = raw;
  else if (raw !== undefined && raw !== null) {
    content = arr(raw, `${path}.content`)
      .map((b, i) => {
        const inner = obj(b, `${path}.content[${i}]`);
        if (inner['type'] !== 'text') throw invalid(`${path}.content[${i}].type`, 'only text blocks are supported in tool_result content');
        return str(inner['text'], `${path}.content[${i}].text`);
      })
      .join('\n');
  }
  const isError = block['is_error'];
  if (isError !== undefined && isError !== null && typeof isError !== 'boolean') throw invalid(`${path}.is_error`, 'must be a boolean');
  return { type: 'tool-result', toolCallId, content, ...(isError === true ? { isError: true } : {}) };
}

function decodeTool(value: unknown, path: string): ToolDefinition {
  const tool = obj(value, path);
  const type = tool['type'];
  if (type !== undefined && type !== null && type !== 'custom') {
    throw invalid(`${path}.type`, `unsupported tool type '${String(type)}' (only client tools with an input_schema)`);
  }
  const schema = obj(tool['input_schema'], `${path}.input_schema`);
  const description = optStr(tool['description'], `${path}.description`);
  return {
    name: str(tool['name'], `${path}.name`),
    ...(description !== undefined ? { description } : {}),
    parameters: schema as JsonObject,
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
