/** Anthropic Message (non-streaming answer) → ChatResult. */
import { GatewayError } from '../../../src/errors.js';
import type { ChatResult, FinishReason } from '../../../src/formats/canonical.js';
import { type JsonTool, jsonText } from './structured-output.js';
import { decodeUsage, isRecord, mapStopReason } from './wire.js';

export function decodeAnthropicMessage(body: unknown, provider = 'anthropic', jsonTool?: JsonTool): ChatResult {
  const bad = (what: string) => new GatewayError('upstream_bad_response', `Provider ${provider} answered with ${what}`, { provider });
  if (!isRecord(body)) throw bad('a body that is not a JSON object');
  const content = body['content'];
  if (!Array.isArray(content)) throw bad('a message without a content array');

  const parts: ChatResult['content'][number][] = [];
  let jsonPart: number | null = null;
  for (const block of content) {
    if (!isRecord(block)) throw bad('a content block that is not an object');
    switch (block['type']) {
      case 'text':
        if (typeof block['text'] !== 'string') throw bad('a text block without text');
        parts.push({ type: 'text', text: block['text'] });
        break;
      case 'thinking': {
        if (typeof block['thinking'] !== 'string') throw bad('a thinking block without thinking');
        const signature = block['signature'];
        parts.push({ type: 'reasoning', text: block['thinking'], ...(typeof signature === 'string' ? { signature } : {}) });
        break;
      }
      case 'redacted_thinking':
        if (typeof block['data'] !== 'string') throw bad('a redacted_thinking block without data');
        parts.push({ type: 'reasoning', text: '', redactedData: block['data'] });
        break;
      case 'tool_use': {
        const { id, name, input } = block;
        if (typeof id !== 'string' || typeof name !== 'string') throw bad('a tool_use block without id or name');
        if (jsonTool !== undefined && name === jsonTool.name) {
          jsonPart = parts.length;
          parts.push({ type: 'text', text: jsonText(input, jsonTool) });
        } else parts.push({ type: 'tool-call', id, name, arguments: JSON.stringify(input ?? {}) });
        break;
      }
      // Server-tool blocks have no canonical counterpart.
    }
  }

  const usage = body['usage'];
  const id = body['id'];
  return {
    ...(typeof id === 'string' ? { id } : {}),
    // Prose beside the forced tool's JSON would break the client's JSON.parse.
    content: jsonPart !== null && jsonTool?.only === true ? parts.filter((p, i) => p.type !== 'text' || i === jsonPart) : parts,
    finishReason: jsonPart !== null ? jsonFinish(parts) : mapStopReason(body['stop_reason']),
    usage: isRecord(usage) ? decodeUsage(usage) : null,
  };
}

function jsonFinish(parts: readonly ChatResult['content'][number][]): FinishReason {
  return parts.some((p) => p.type === 'tool-call') ? { unified: 'tool-calls', raw: 'tool_use' } : { unified: 'stop', raw: 'end_turn' };
}
