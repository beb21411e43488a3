/**
 * Native `POST /api/chat` body → canonical messages plus what the conversation keeps of them.
 * Body: `{messages: [{role, content, files?}], model?, conversationId?, temperature?, max_tokens?}`.
 * Every invalid field is a request_invalid naming its path; unknown fields are ignored.
 */
import type { ImagePart, Message, TextPart } from '../canonical.js';
import { given, invalid, isRecord, oneOf, optInteger, optNumber, string } from '../openai/fields.js';
import type { StoredTurn } from '../../conversations/conversation-store.js';
import { decodeFile } from './files.js';
import { GatewayError } from '../../errors.js';

export const NATIVE_DEFAULT_MAX_TOKENS = 2048;
export const NATIVE_DEFAULT_TEMPERATURE = 0.2;
const MAX_FILES_PER_MESSAGE = 20;
const MAX_CONVERSATION_ID = 100;

export interface NativeChatRequest {
  readonly model: string;
  readonly conversationId: string | null;
  /** System messages the client sent (kept first, never stored). */
  readonly system: readonly Message[];
  /** The client's other messages, in order; the last is a user turn. */
  readonly turns: readonly Message[];
  /** `turns` as the conversation history stores them (text; images as a placeholder). */
  readonly stored: readonly StoredTurn[];
  readonly maxTokens: number;
  readonly temperature: number;
  /** false: this turn is not stored (the client's `store`). */
  readonly store: boolean;
}

function decodeFiles(value: unknown, path: string): { parts: (TextPart | ImagePart)[]; stored: string[] } {
  if (!Array.isArray(value)) throw invalid(path, 'must be an array');
  if (value.length > MAX_FILES_PER_MESSAGE) throw invalid(path, `at most ${MAX_FILES_PER_MESSAGE} files per message`);
  const parts: (TextPart | ImagePart)[] = [];
  const stored: string[] = [];
  value.forEach((raw, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(raw)) throw invalid(at, 'must be an object {name, type, data_b64}');
    const file = {
      name: given(raw['name']) ? string(raw['name'], `${at}.name`) : `file-${i + 1}`,
      type: given(raw['type']) ? string(raw['type'], `${at}.type`) : '',
      data_b64: string(raw['data_b64'], `${at}.data_b64`),
    };
    const decoded = decodeFile(file, at);
    parts.push(decoded.part);
    stored.push(decoded.stored);
  });
  return { parts, stored };
}

/** Adjacent text parts become one, so text-only turns reach providers as plain strings. */
function mergeText(parts: readonly (TextPart | ImagePart)[]): (TextPart | ImagePart)[] {
  const out: (TextPart | ImagePart)[] = [];
  for (const part of parts) {
    const prev = out.at(-1);
    if (part.type === 'text' && prev?.type === 'text') out[out.length - 1] = { type: 'text', text: `${prev.text}\n\n${part.text}` };
    else out.push(part);
  }
  return out;
}

function contentText(value: unknown, path: string): string {
  if (!given(value)) return '';
  if (typeof value === 'string') return value;
  // Also accept OpenAI-style text parts: [{type: "text", text}].
  if (Array.isArray(value)) {
    return value
      .map((p, i) => {
        if (!isRecord(p) || p['type'] !== 'text') throw invalid(`${path}[${i}]`, 'must be a text part {type: "text", text}; send other content as files');
        return string(p['text'], `${path}[${i}].text`);
      })
      .join('');
  }
  throw invalid(path, 'must be a string');
}

/** Bounds applied while decoding (limits.* in YAML). */
export interface NativeDecodeLimits {
  readonly maxMessages: number;
}

export function decodeNativeChatRequest(body: unknown, limits: NativeDecodeLimits = { maxMessages: Number.POSITIVE_INFINITY }): NativeChatRequest {
  if (!isRecord(body)) throw invalid('body', 'must be a JSON object');
  // Counted before anything is decoded: a huge list is refused at once.
  const count = Array.isArray(body['messages']) ? body['messages'].length : 0;
  if (count > limits.maxMessages)
    throw new GatewayError('payload_too_large', `messages: at most ${limits.maxMessages} messages per request (limits.max_messages), got ${count}`);
  const store = body['store'];
  if (given(store) && typeof store !== 'boolean') throw invalid('store', 'must be a boolean');
  const model = given(body['model']) ? string(body['model'], 'model', true) : 'auto';
  const conversationId = given(body['conversationId']) ? string(body['conversationId'], 'conversationId', true) : null;
  if (conversationId !== null && conversationId.length > MAX_CONVERSATION_ID) throw invalid('conversationId', 'is too long');

  const rawMessages = body['messages'];
  if (!Array.isArray(rawMessages) || rawMessages.length === 0) throw invalid('messages', 'must be a non-empty array');
  const system: Message[] = [];
  const turns: Message[] = [];
  const stored: StoredTurn[] = [];
  rawMessages.forEach((raw, i) => {
    const path = `messages[${i}]`;
    if (!isRecord(raw)) throw invalid(path, 'must be an object');
    const role = oneOf(raw['role'], `${path}.role`, ['system', 'user', 'assistant'] as const);
    const text = contentText(raw['content'], `${path}.content`);
    const hasFiles = given(raw['files']);
    if (hasFiles && role !== 'user') throw invalid(`${path}.files`, 'only user messages may carry files');
    const files = hasFiles ? decodeFiles(raw['files'], `${path}.files`) : { parts: [], stored: [] };
    if (text.trim() === '' && files.parts.length === 0) throw invalid(`${path}.content`, 'must not be empty');
    const textParts: TextPart[] = text === '' ? [] : [{ type: 'text', text }];
    if (role === 'system') {
      system.push({ role, content: textParts });
    } else if (role === 'assistant') {
      turns.push({ role, content: textParts });
      stored.push({ role, content: text });
    } else {
      // Files first, then the question about them.
      turns.push({ role, content: mergeText([...files.parts, ...textParts]) });
      stored.push({ role, content: [...files.stored, ...(text === '' ? [] : [text])].join('\n\n') });
    }
  });
  if (turns.at(-1)?.role !== 'user') throw invalid('messages', 'the last message must be a user message');

  return {
    model,
    conversationId,
    system,
    turns,
    stored,
    maxTokens: optInteger(body['max_tokens'], 'max_tokens', 1) ?? NATIVE_DEFAULT_MAX_TOKENS,
    temperature: optNumber(body['temperature'], 'temperature', 0, 2) ?? NATIVE_DEFAULT_TEMPERATURE,
    store: store !== false,
  };
}
