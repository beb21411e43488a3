/**
 * OpenAI `messages` → canonical messages. Accepts what current and older OpenAI clients send:
 * `developer` (→ system), legacy `function` messages and `function_call` (→ tool calls),
 * content as a string or an array of parts. Consecutive tool messages become one canonical
 * tool message (Anthropic needs them together; the OpenAI encoder splits them again).
 */
import type { AssistantMessage, CacheControl, ImagePart, Message, ReasoningPart, TextPart, ToolCallPart, ToolResultPart } from '../canonical.js';
import { given, invalid, isRecord, oneOf, record, string, type Rec } from './fields.js';
import { MAX_JSON_DEPTH, textTooDeep } from '../json-depth.js';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;
const DATA_URL = /^data:([^;,]+)((?:;[^;,=]+=[^;,]*)*);base64,(.*)$/s;

export function decodeMessages(raw: unknown[]): Message[] {
  const out: Message[] = [];
  const toolNames = new Map<string, string>(); // tool_call_id → function name
  const legacyIds = new Map<string, string[]>(); // function name → ids of unanswered legacy calls

  raw.forEach((value, i) => {
    const path = `messages[${i}]`;
    const m = record(value, path);
    const role = oneOf(m['role'], `${path}.role`, ROLES);
    switch (role) {
      case 'system':
      case 'developer':
        out.push({ role: 'system', content: textContent(m['content'], `${path}.content`) });
        return;
      case 'user':
        out.push({ role: 'user', content: userContent(m['content'], `${path}.content`) });
        return;
      case 'assistant': {
        const msg = assistantMessage(m, path, i, legacyIds);
        for (const p of msg.content) if (p.type === 'tool-call') toolNames.set(p.id, p.name);
        out.push(msg);
        return;
      }
      case 'tool': {
        const id = string(m['tool_call_id'], `${path}.tool_call_id`, true);
        const name = toolNames.get(id);
        pushToolResult(out, {
          type: 'tool-result',
          toolCallId: id,
          ...(name !== undefined ? { toolName: name } : {}),
          content: plainText(m['content'], `${path}.content`),
        });
        return;
      }
      case 'function': {
        const name = string(m['name'], `${path}.name`, true);
        const id = legacyIds.get(name)?.shift() ?? `call_${name}`;
        pushToolResult(out, { type: 'tool-result', toolCallId: id, toolName: name, content: plainText(m['content'], `${path}.content`) });
        return;
      }
    }
  });
  return out;
}

function pushToolResult(out: Message[], part: ToolResultPart): void {
  const last = out.at(-1);
  if (last?.role === 'tool') out[out.length - 1] = { role: 'tool', content: [...last.content, part] };
  else out.push({ role: 'tool', content: [part] });
}

function parts(v: unknown, path: string): Rec[] {
  if (!Array.isArray(v)) throw invalid(path, 'must be a string or an array of content parts');
  return v.map((p, j) => record(p, `${path}[${j}]`));
}

function textContent(v: unknown, path: string): TextPart[] {
  if (typeof v === 'string') return v === '' ? [] : [{ type: 'text', text: v }];
  return parts(v, path).map((p, j) => {
    oneOf(p['type'], `${path}[${j}].type`, ['text']);
    return { type: 'text', text: string(p['text'], `${path}[${j}].text`), ...cacheControl(p) };
  });
}

/**
 * OpenRouter's convention for Anthropic prompt caching: `cache_control` on a content part. Kept for
 * Anthropic providers; anything but a well-formed ephemeral breakpoint is ignored, as OpenAI would.
 */
function cacheControl(p: Rec): { cacheControl?: CacheControl } {
  const cc = p['cache_control'];
  if (!isRecord(cc) || cc['type'] !== 'ephemeral') return {};
  return { cacheControl: typeof cc['ttl'] === 'string' ? { type: 'ephemeral', ttl: cc['ttl'] } : { type: 'ephemeral' } };
}

function plainText(v: unknown, path: string): string {
  return textContent(v, path)
    .map((p) => p.text)
    .join('');
}

function userContent(v: unknown, path: string): (TextPart | ImagePart)[] {
  if (typeof v === 'string') return v === '' ? [] : [{ type: 'text', text: v }];
  return parts(v, path).map((p, j): TextPart | ImagePart => {
    const at = `${path}[${j}]`;
    const type = oneOf(p['type'], `${at}.type`, ['text', 'image_url']);
    if (type === 'text') return { type: 'text', text: string(p['text'], `${at}.text`), ...cacheControl(p) };
    const img = p['image_url'];
    const url = typeof img === 'string' ? img : string(record(img, `${at}.image_url`)['url'], `${at}.image_url.url`);
    return { type: 'image', source: imageSource(url, `${at}.image_url.url`), ...cacheControl(p) };
  });
}

function imageSource(url: string, path: string): ImagePart['source'] {
  if (/^https?:\/\//i.test(url)) return { kind: 'url', url };
  if (url.startsWith('data:')) {
    const m = DATA_URL.exec(url);
    if (m === null || m[1] === undefined || m[3] === undefined) throw invalid(path, 'must be a base64 data: URL (data:image/png;base64,…)');
    if (!m[1].toLowerCase().startsWith('image/')) throw invalid(path, 'must be an image (data:image/…)');
    if (m[3] === '') throw invalid(path, 'has no image data');
    return { kind: 'base64', mediaType: m[1].toLowerCase(), data: m[3] };
  }
  throw invalid(path, 'must be an http(s) URL or a data: URL');
}

function argumentsText(v: unknown, path: string): string {
  if (typeof v === 'string') {
    if (textTooDeep(v)) throw invalid(path, `nests deeper than ${MAX_JSON_DEPTH} levels`);
    return v;
  }
  if (isRecord(v)) return JSON.stringify(v);
  if (!given(v)) return '{}';
  throw invalid(path, 'must be a string of JSON');
}

function assistantMessage(m: Rec, path: string, i: number, legacyIds: Map<string, string[]>): AssistantMessage {
  const content: (TextPart | ReasoningPart | ToolCallPart)[] = [];
  // Reasoning an earlier answer carried (DeepSeek/vLLM `reasoning_content`, OpenRouter `reasoning`).
  const reasoning = m['reasoning_content'] ?? m['reasoning'];
  if (typeof reasoning === 'string' && reasoning !== '') content.push({ type: 'reasoning', text: reasoning });
  const c = m['content'];
  if (typeof c === 'string') {
    if (c !== '') content.push({ type: 'text', text: c });
  } else if (given(c)) {
    parts(c, `${path}.content`).forEach((p, j) => {
      const at = `${path}.content[${j}]`;
      const type = oneOf(p['type'], `${at}.type`, ['text', 'refusal']);
      content.push({ type: 'text', text: string(type === 'text' ? p['text'] : p['refusal'], `${at}.${type}`) });
    });
  }
  const calls = m['tool_calls'];
  if (given(calls)) {
    if (!Array.isArray(calls)) throw invalid(`${path}.tool_calls`, 'must be an array');
    calls.forEach((call: unknown, j) => {
      const at = `${path}.tool_calls[${j}]`;
      const tc = record(call, at);
      if (given(tc['type'])) oneOf(tc['type'], `${at}.type`, ['function']);
      const fn = record(tc['function'], `${at}.function`);
      content.push({
        type: 'tool-call',
        id: string(tc['id'], `${at}.id`, true),
        name: string(fn['name'], `${at}.function.name`, true),
        arguments: argumentsText(fn['arguments'], `${at}.function.arguments`),
      });
    });
  }
  const legacy = m['function_call'];
  if (given(legacy)) {
    const fc = record(legacy, `${path}.function_call`);
    const name = string(fc['name'], `${path}.function_call.name`, true);
    const id = `call_legacy_${i}`;
    legacyIds.set(name, [...(legacyIds.get(name) ?? []), id]);
    content.push({ type: 'tool-call', id, name, arguments: argumentsText(fc['arguments'], `${path}.function_call.arguments`) });
  }
  return { role: 'assistant', content };
}
