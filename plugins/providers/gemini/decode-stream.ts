/**
 * Pure state machine over Gemini's `streamGenerateContent?alt=sse` events: each SSE `data` is a
 * whole GenerateContentResponse chunk. Text arrives in pieces; a functionCall arrives whole.
 * `finish` is emitted by `end()`, with the finish reason and usage of the last chunks that had them.
 */
import type { FinishReason, StreamEvent, Usage } from '../../../src/formats/canonical.js';
import { badResponse, blockedFinish, callArguments, decodeChunk, mapFinishReason } from './decode-response.js';
import { envelopeError } from './map-error.js';
import { isRecord } from './wire.js';

export interface GeminiStreamDecoder {
  push(data: string): StreamEvent[];
  end(): StreamEvent[];
}

export function createGeminiStreamDecoder(options: { warnings?: readonly string[] } = {}): GeminiStreamDecoder {
  let started = false;
  let ended = false;
  let calls = 0;
  let thinking = false;
  let finishRaw: string | null = null;
  let blockReason: string | null = null;
  let usage: Usage | null = null;

  return {
    push(data) {
      if (ended) return [];
      if (data.trim() === '') return [];
      let value: unknown;
      try {
        value = JSON.parse(data);
      } catch {
        throw badResponse('a stream chunk is not JSON');
      }
      // An error after the 200 arrives as an envelope in the stream.
      if (isRecord(value) && value['error'] !== undefined) throw envelopeError(value, undefined);
      const chunk = decodeChunk(value);
      const out: StreamEvent[] = [];
      if (!started) {
        started = true;
        const warnings = options.warnings ?? [];
        out.push({ type: 'start', ...(chunk.id !== undefined ? { id: chunk.id } : {}), ...(warnings.length > 0 ? { warnings } : {}) });
      }
      for (const part of chunk.parts) {
        if (part.type === 'thought') {
          thinking = true;
          out.push({ type: 'reasoning-delta', text: part.text });
          continue;
        }
        if (thinking) {
          thinking = false;
          out.push({ type: 'reasoning-end' });
        }
        if (part.type === 'text') {
          if (part.text !== '') out.push({ type: 'text-delta', text: part.text });
          continue;
        }
        const index = calls++;
        out.push({ type: 'tool-call-start', index, id: part.id ?? `call_${index}`, name: part.name });
        out.push({ type: 'tool-call-delta', index, argumentsDelta: callArguments(part.args) });
        out.push({ type: 'tool-call-end', index });
      }
      if (chunk.finishReason !== null) finishRaw = chunk.finishReason;
      if (chunk.blockReason !== null && !chunk.hasCandidate) blockReason = chunk.blockReason;
      if (chunk.usage !== null) usage = chunk.usage;
      return out;
    },
    end() {
      if (ended) return [];
      ended = true;
      if (!started) throw badResponse('the stream ended without any chunk');
      const out: StreamEvent[] = thinking ? [{ type: 'reasoning-end' }] : [];
      const finishReason: FinishReason = blockReason !== null && finishRaw === null ? blockedFinish(blockReason) : mapFinishReason(finishRaw, calls > 0);
      out.push({ type: 'finish', finishReason, usage });
      return out;
    },
  };
}
