/**
 * Responses `input` items → canonical messages. Consecutive assistant-side items (reasoning,
 * assistant message, function_call, custom_tool_call) become one assistant message in order, as
 * one model turn produced them (Anthropic needs thinking, text and tool_use in one message);
 * consecutive tool outputs become one tool message. Items for hosted tools Switchboard does not
 * run (web_search_call, local_shell_call, item_reference…) are dropped with a warning.
 */
import type { AssistantMessage, ImagePart, Message, TextPart, ToolResultPart } from '../canonical.js';
import { given, invalid, isRecord, oneOf, record, string, type Rec } from '../openai/fields.js';
import { openReasoning } from './reasoning-token.js';
import { quoted, type DecodeWarnings } from './warnings.js';

const DATA_URL = /^data:([^;,]+)((?:;[^;,=]+=[^;,]*)*);base64,(.*)$/s;
const MESSAGE_ROLES = ['user', 'assistant', 'system', 'developer'] as const;

type AssistantPart = AssistantMessage['content'][number];

/** Shared across the stored history and the new input, so a tool output finds its call's name. */
export interface InputContext {
  readonly toolNames: Map<string, string>;
  readonly warnings: DecodeWarnings;
}

export function newInputContext(warnings: DecodeWarnings): InputContext {
  return { toolNames: new Map(), warnings };
}

class MessageBuilder {
  readonly out: Message[] = [];

  push(message: Message): void {
    this.out.push(message);
  }

  assistant(part: AssistantPart): void {
    const last = this.out.at(-1);
    if (last?.role === 'assistant') this.out[this.out.length - 1] = { role: 'assistant', content: [...last.content, part] };
    else this.out.push({ role: 'assistant', content: [part] });
  }

  toolResult(part: ToolResultPart): void {
    const last = this.out.at(-1);
    if (last?.role === 'tool') this.out[this.out.length - 1] = { role: 'tool', content: [...last.content, part] };
    else this.out.push({ role: 'tool', content: [part] });
  }
}

export function decodeInput(input: unknown, path: string, ctx: InputContext): Message[] {
  if (typeof input === 'string') return input === '' ? [] : [{ role: 'user', content: [{ type: 'text', text: input }] }];
  if (!Array.isArray(input)) throw invalid(path, 'must be a string or an array of input items');
  const builder = new MessageBuilder();
  input.forEach((value, i) => decodeItem(record(value, `${path}[${i}]`), `${path}[${i}]`, ctx, builder));
  return builder.out;
}

function decodeItem(item: Rec, path: string, ctx: InputContext, out: MessageBuilder): void {
  const type = given(item['type']) ? string(item['type'], `${path}.type`) : given(item['role']) ? 'message' : undefined;
  switch (type) {
    case undefined:
      throw invalid(`${path}.type`, 'is required (or a role for a message item)');
    case 'message':
      return decodeMessage(item, path, ctx, out);
    case 'function_call':
    case 'custom_tool_call': {
      const callId = string(item['call_id'], `${path}.call_id`, true);
      const name = string(item['name'], `${path}.name`, true);
      const args =
        type === 'function_call' ? argumentsText(item['arguments'], `${path}.arguments`) : JSON.stringify({ input: string(item['input'], `${path}.input`) });
      ctx.toolNames.set(callId, name);
      return out.assistant({ type: 'tool-call', id: callId, name, arguments: args });
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const callId = string(item['call_id'], `${path}.call_id`, true);
      const name = ctx.toolNames.get(callId);
      return out.toolResult({
        type: 'tool-result',
        toolCallId: callId,
        ...(name !== undefined ? { toolName: name } : {}),
        content: toolOutputText(item['output'], `${path}.output`, ctx),
      });
    }
    case 'reasoning':
      return decodeReasoning(item, path, out);
    default:
      ctx.warnings.add(`input item type ${quoted(type)} is not supported; dropped`);
  }
}

function decodeMessage(item: Rec, path: string, ctx: InputContext, out: MessageBuilder): void {
  const role = oneOf(item['role'], `${path}.role`, MESSAGE_ROLES);
  const content = item['content'];
  if (role === 'assistant') {
    for (const part of textParts(content, `${path}.content`, ['output_text', 'input_text', 'refusal'], ctx)) out.assistant(part);
    return;
  }
  if (role === 'system' || role === 'developer') {
    const parts = textParts(content, `${path}.content`, ['input_text', 'output_text'], ctx);
    if (parts.length > 0) out.push({ role: 'system', content: parts });
    return;
  }
  const parts = userParts(content, `${path}.content`, ctx);
  if (parts.length > 0) out.push({ role: 'user', content: parts });
}

function contentParts(v: unknown, path: string): Rec[] | string {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) throw invalid(path, 'must be a string or an array of content parts');
  return v.map((p, j) => record(p, `${path}[${j}]`));
}

function textParts(v: unknown, path: string, allowed: readonly string[], ctx: InputContext): TextPart[] {
  const parts = contentParts(v, path);
  if (typeof parts === 'string') return parts === '' ? [] : [{ type: 'text', text: parts }];
  const out: TextPart[] = [];
  parts.forEach((p, j) => {
    const at = `${path}[${j}]`;
    const type = string(p['type'], `${at}.type`);
    if (!allowed.includes(type)) {
      ctx.warnings.add(`content part type ${quoted(type)} is not supported in this message; dropped`);
      return;
    }
    const text = string(type === 'refusal' ? p['refusal'] : p['text'], `${at}.${type === 'refusal' ? 'refusal' : 'text'}`);
    if (text !== '') out.push({ type: 'text', text });
  });
  return out;
}

function userParts(v: unknown, path: string, ctx: InputContext): (TextPart | ImagePart)[] {
  const parts = contentParts(v, path);
  if (typeof parts === 'string') return parts === '' ? [] : [{ type: 'text', text: parts }];
  const out: (TextPart | ImagePart)[] = [];
  parts.forEach((p, j) => {
    const at = `${path}[${j}]`;
    const type = string(p['type'], `${at}.type`);
    if (type === 'input_text' || type === 'output_text') {
      const text = string(p['text'], `${at}.text`);
      if (text !== '') out.push({ type: 'text', text });
    } else if (type === 'input_image') {
      if (!given(p['image_url'])) {
        ctx.warnings.add('input_image without image_url (file_id) is not supported; dropped');
        return;
      }
      out.push({ type: 'image', source: imageSource(string(p['image_url'], `${at}.image_url`), `${at}.image_url`) });
    } else ctx.warnings.add(`content part type ${quoted(type)} is not supported; dropped`);
  });
  return out;
}

function imageSource(url: string, path: string): ImagePart['source'] {
  if (/^https?:\/\//i.test(url)) return { kind: 'url', url };
  const m = DATA_URL.exec(url);
  if (m === null || m[1] === undefined || m[3] === undefined || m[3] === '') throw invalid(path, 'must be an http(s) URL or a base64 data: URL');
  if (!m[1].toLowerCase().startsWith('image/')) throw invalid(path, 'must be an image (data:image/…)');
  return { kind: 'base64', mediaType: m[1].toLowerCase(), data: m[3] };
}

function argumentsText(v: unknown, path: string): string {
  if (typeof v === 'string') return v;
  if (isRecord(v)) return JSON.stringify(v);
  throw invalid(path, 'must be a string of JSON');
}

/** A tool output: a string, or input_text / input_image / input_file parts (text kept, the rest dropped). */
function toolOutputText(v: unknown, path: string, ctx: InputContext): string {
  if (typeof v === 'string') return v;
  if (isRecord(v) && typeof v['content'] === 'string') return v['content'];
  if (!Array.isArray(v)) throw invalid(path, 'must be a string or an array of content parts');
  let text = '';
  v.forEach((p: unknown, j) => {
    const part = record(p, `${path}[${j}]`);
    if (part['type'] === 'input_text' || part['type'] === 'output_text') text += string(part['text'], `${path}[${j}].text`);
    else ctx.warnings.add(`tool output part type ${quoted(part['type'])} is not supported; dropped`);
  });
  return text;
}

function decodeReasoning(item: Rec, path: string, out: MessageBuilder): void {
  const texts: string[] = [];
  const collect = (v: unknown, at: string, field: 'summary' | 'content') => {
    if (!given(v)) return;
    if (!Array.isArray(v)) throw invalid(`${path}.${field}`, 'must be an array');
    v.forEach((p: unknown, j) => texts.push(string(record(p, `${at}[${j}]`)['text'], `${at}[${j}].text`)));
  };
  collect(item['content'], `${path}.content`, 'content');
  // The full reasoning text when the client kept it, else its summary.
  if (texts.length === 0) collect(item['summary'], `${path}.summary`, 'summary');
  const token = given(item['encrypted_content']) ? string(item['encrypted_content'], `${path}.encrypted_content`) : undefined;
  const seal = token !== undefined ? openReasoning(token) : {};
  const text = texts.join('\n\n');
  if (text === '' && seal.redactedData === undefined) return;
  out.assistant({ type: 'reasoning', text, ...seal });
}
