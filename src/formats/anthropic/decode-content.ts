/**
 * Anthropic `system` and `messages` → canonical messages, in order. A `role: "system"` message
 * inside `messages` (beta mid-conversation-system) stays where the client put it; a user turn
 * mixing tool_result and other blocks becomes a tool message followed by a user message.
 */
import type { AssistantMessage, ImagePart, JsonObject, Message, ReasoningPart, TextPart, ToolCallPart, ToolResultPart } from '../canonical.js';
import { arr, cacheControlOf, given, invalid, isObj, obj, str, type Obj } from './decode-fields.js';

export function decodeSystem(system: unknown): Message[] {
  if (!given(system)) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ role: 'system', content: [{ type: 'text', text: system }] }];
  const parts = textBlocks(system, 'system');
  return parts.length === 0 ? [] : [{ role: 'system', content: parts }];
}

function textBlocks(value: unknown, path: string): TextPart[] {
  return arr(value, path).map((b, i): TextPart => {
    const at = `${path}[${i}]`;
    const block = obj(b, at);
    if (block['type'] !== 'text') throw invalid(`${at}.type`, "must be 'text'");
    return { type: 'text', text: str(block['text'], `${at}.text`), ...cacheControlOf(block, at) };
  });
}

export function decodeMessage(value: unknown, path: string): Message[] {
  const message = obj(value, path);
  const role = message['role'];
  if (role !== 'user' && role !== 'assistant' && role !== 'system') throw invalid(`${path}.role`, "must be 'user', 'assistant' or 'system'");
  const content = message['content'];
  if (role === 'system') {
    const parts = typeof content === 'string' ? [{ type: 'text' as const, text: content }] : textBlocks(content, `${path}.content`);
    const fields = otherFields(message, ['role', 'content']);
    return [{ role: 'system', content: parts, ...(fields !== undefined ? { anthropic: fields } : {}) }];
  }
  if (typeof content === 'string') return [{ role, content: [{ type: 'text', text: content }] }];
  const blocks = arr(content, `${path}.content`);

  if (role === 'assistant') {
    const parts: AssistantMessage['content'][number][] = blocks.map((b, i) => decodeAssistantBlock(b, `${path}.content[${i}]`));
    return [{ role, content: parts }];
  }

  const results: ToolResultPart[] = [];
  const parts: (TextPart | ImagePart)[] = [];
  blocks.forEach((b, i) => {
    const p = `${path}.content[${i}]`;
    const block = obj(b, p);
    switch (block['type']) {
      case 'text':
        parts.push({ type: 'text', text: str(block['text'], `${p}.text`), ...cacheControlOf(block, p) });
        break;
      case 'image':
        parts.push(decodeImage(block, p));
        break;
      case 'tool_result':
        results.push(decodeToolResult(block, p));
        break;
      case 'tool_use':
      case 'thinking':
      case 'redacted_thinking':
        throw invalid(`${p}.type`, `'${String(block['type'])}' blocks belong in assistant messages`);
      default:
        throw unknownBlock(block['type'], p);
    }
  });
  const out: Message[] = [];
  if (results.length > 0) out.push({ role: 'tool', content: results });
  if (parts.length > 0 || results.length === 0) out.push({ role: 'user', content: parts });
  return out;
}

function decodeAssistantBlock(value: unknown, path: string): TextPart | ReasoningPart | ToolCallPart {
  const block = obj(value, path);
  switch (block['type']) {
    case 'text':
      return { type: 'text', text: str(block['text'], `${path}.text`), ...cacheControlOf(block, path) };
    case 'tool_use': {
      const input = block['input'] ?? {};
      if (!isObj(input)) throw invalid(`${path}.input`, 'must be an object');
      return { type: 'tool-call', id: str(block['id'], `${path}.id`), name: str(block['name'], `${path}.name`), arguments: JSON.stringify(input) };
    }
    case 'thinking': {
      // The signature must reach Anthropic byte for byte, or it rejects the turn. An empty one marks
      // reasoning another provider produced (Switchboard sends it so): there is nothing to verify.
      const signature = block['signature'];
      return {
        type: 'reasoning',
        text: str(block['thinking'], `${path}.thinking`),
        ...(typeof signature === 'string' && signature !== '' ? { signature } : {}),
      };
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: str(block['data'], `${path}.data`) };
    case 'image':
    case 'tool_result':
      throw invalid(`${path}.type`, `'${String(block['type'])}' blocks belong in user messages`);
    default:
      throw unknownBlock(block['type'], path);
  }
}

function unknownBlock(type: unknown, path: string) {
  return typeof type === 'string' ? invalid(`${path}.type`, `unknown block type '${type}'`) : invalid(`${path}.type`, 'required');
}

function decodeImage(block: Obj, path: string): ImagePart {
  const source = obj(block['source'], `${path}.source`);
  const cache = cacheControlOf(block, path);
  if (source['type'] === 'base64') {
    return {
      type: 'image',
      source: { kind: 'base64', mediaType: str(source['media_type'], `${path}.source.media_type`), data: str(source['data'], `${path}.source.data`) },
      ...cache,
    };
  }
  if (source['type'] === 'url') return { type: 'image', source: { kind: 'url', url: str(source['url'], `${path}.source.url`) }, ...cache };
  throw invalid(`${path}.source.type`, "must be 'base64' or 'url'");
}

function decodeToolResult(block: Obj, path: string): ToolResultPart {
  const toolCallId = str(block['tool_use_id'], `${path}.tool_use_id`);
  const raw = block['content'];
  let content = '';
  // A breakpoint on the result's last inner block marks the same prefix as one on the result.
  let cache = cacheControlOf(block, path);
  if (typeof raw === 'string') content = raw;
  else if (given(raw)) {
    content = arr(raw, `${path}.content`)
      .map((b, i) => {
        const at = `${path}.content[${i}]`;
        const inner = obj(b, at);
        if (inner['type'] !== 'text') throw invalid(`${at}.type`, 'only text blocks are supported in tool_result content');
        const innerCache = cacheControlOf(inner, at);
        if (innerCache.cacheControl !== undefined) cache = { ...innerCache, ...cache };
        return str(inner['text'], `${at}.text`);
      })
      .join('\n');
  }
  const isError = block['is_error'];
  if (given(isError) && typeof isError !== 'boolean') throw invalid(`${path}.is_error`, 'must be a boolean');
  return { type: 'tool-result', toolCallId, content, ...(isError === true ? { isError: true } : {}), ...cache };
}

/** The fields of `value` other than `known`, or undefined when there are none. */
export function otherFields(value: Obj, known: readonly string[]): JsonObject | undefined {
  const rest = Object.entries(value).filter(([k, v]) => !known.includes(k) && v !== undefined);
  return rest.length > 0 ? (Object.fromEntries(rest) as JsonObject) : undefined;
}
