/** Anthropic Message (non-streaming answer) → ChatResult. */
import { GatewayError } from '../../../src/errors.js';
import type { ChatResult, TextPart, ToolCallPart } from '../../../src/formats/canonical.js';
import { decodeUsage, isRecord, mapStopReason } from './wire.js';

export function decodeAnthropicMessage(body: unknown, provider = 'anthropic'): ChatResult {
  const bad = (what: string) => new GatewayError('upstream_bad_response', `Provider ${provider} answered with ${what}`, { provider });
  if (!isRecord(body)) throw bad('a body that is not a JSON object');
  const content = body['content'];
  if (!Array.isArray(content)) throw bad('a message without a content array');

  const parts: (TextPart | ToolCallPart)[] = [];
  for (const block of content) {
    if (!isRecord(block)) throw bad('a content block that is not an object');
    if (block['type'] === 'text') {
      if (typeof block['text'] !== 'string') throw bad('a text block without text');
      parts.push({ type: 'text', text: block['text'] });
    } else if (block['type'] === 'tool_use') {
      const { id, name, input } = block;
      if (typeof id !== 'string' || typeof name !== 'string') throw bad('a tool_use block without id or name');
      parts.push({ type: 'tool-call', id, name, arguments: JSON.stringify(input ?? {}) });
    }
    // thinking, redacted_thinking and server-tool blocks have no canonical counterpart.
  }

  const usage = body['usage'];
  const id = body['id'];
  return {
    ...(typeof id === 'string' ? { id } : {}),
    content: parts,
    finishReason: mapStopReason(body['stop_reason']),
    usage: isRecord(usage) ? decodeUsage(usage) : null,
  };
}
