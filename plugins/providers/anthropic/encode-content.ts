/**
 * Canonical message parts → Anthropic content blocks, keeping what Anthropic needs back
 * verbatim: cache_control breakpoints on text, image and tool_result blocks, and thinking
 * blocks with their signatures, in their original order.
 */
import type { CacheControl, ImagePart, JsonObject, Message, TextPart } from '../../../src/formats/canonical.js';
import type { AnthropicBlock, AnthropicCacheControl, AnthropicImageBlock, AnthropicTextBlock } from './wire.js';
import { isRecord } from './wire.js';
import { parseBoundedJson } from '../../../src/formats/json-depth.js';

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

export function cacheControl(cc: CacheControl | undefined): { cache_control?: AnthropicCacheControl } {
  if (cc === undefined) return {};
  return { cache_control: cc.ttl !== undefined ? { type: 'ephemeral', ttl: cc.ttl } : { type: 'ephemeral' } };
}

/** Text parts as blocks; Anthropic rejects empty text blocks. */
export function textBlocks(parts: readonly TextPart[]): AnthropicTextBlock[] {
  return parts.filter((p) => p.text !== '').map((p) => ({ type: 'text', text: p.text, ...cacheControl(p.cacheControl) }));
}

export function encodeBlocks(message: Exclude<Message, { role: 'system' }>, warnings: string[]): AnthropicBlock[] {
  const out: AnthropicBlock[] = [];
  switch (message.role) {
    case 'user':
      for (const part of message.content) {
        if (part.type === 'text') out.push(...textBlocks([part]));
        else out.push(encodeImage(part));
      }
      break;
    case 'assistant':
      for (const part of message.content) {
        if (part.type === 'text') out.push(...textBlocks([part]));
        else if (part.type === 'tool-call') {
          out.push({ type: 'tool_use', id: part.id, name: part.name, input: parseArguments(part.arguments, part.name, warnings) });
        } else if (part.redactedData !== undefined) out.push({ type: 'redacted_thinking', data: part.redactedData });
        // Reasoning from other providers carries no signature, and Anthropic refuses unsigned thinking.
        else if (part.signature !== undefined) out.push({ type: 'thinking', thinking: part.text, signature: part.signature });
      }
      break;
    case 'tool':
      for (const part of message.content) {
        out.push({
          type: 'tool_result',
          tool_use_id: part.toolCallId,
          content: part.content,
          ...(part.isError === true ? { is_error: true } : {}),
          ...cacheControl(part.cacheControl),
        });
      }
      break;
  }
  return out;
}

function encodeImage(part: ImagePart): AnthropicImageBlock {
  const cache = cacheControl(part.cacheControl);
  if (part.source.kind === 'base64') {
    return { type: 'image', source: { type: 'base64', media_type: part.source.mediaType, data: part.source.data }, ...cache };
  }
  const dataUrl = DATA_URL.exec(part.source.url);
  if (dataUrl !== null && dataUrl[1] !== undefined && dataUrl[2] !== undefined) {
    return { type: 'image', source: { type: 'base64', media_type: dataUrl[1], data: dataUrl[2] }, ...cache };
  }
  return { type: 'image', source: { type: 'url', url: part.source.url }, ...cache };
}

function parseArguments(text: string, toolName: string, warnings: string[]): JsonObject {
  if (text.trim() === '') return {};
  const parsed = parseBoundedJson(text);
  if (isRecord(parsed)) return parsed as JsonObject;
  warnings.push(`arguments of a previous ${toolName} tool call were not a JSON object and were sent as {}`);
  return {};
}

/** Anthropic requires tool_result blocks to precede any other content of a user turn. */
export function orderToolResultsFirst(blocks: AnthropicBlock[]): AnthropicBlock[] {
  return [...blocks.filter((b) => b.type === 'tool_result'), ...blocks.filter((b) => b.type !== 'tool_result')];
}
