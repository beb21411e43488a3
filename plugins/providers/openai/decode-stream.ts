/**
 * OpenAI SSE `chat.completion.chunk` payloads → canonical StreamEvents, as a pure state
 * machine (no I/O): `push` one SSE data payload at a time, `end` when the body ends.
 *
 * `finish` is held back until `[DONE]` (or the end of the body) because the usage chunk
 * (`choices: []`) arrives after the chunk carrying `finish_reason`.
 * Anything unusable — invalid JSON, an `{"error":…}` payload, a body that ends before any
 * finish_reason — throws a GatewayError.
 */
import { GatewayError } from '../../../src/errors.js';
import type { FinishReason, StreamEvent, Usage } from '../../../src/formats/canonical.js';
import { finishReasonFromOpenAI } from '../../../src/formats/openai/finish-reason.js';
import { argumentsText, decodeUsage, isRecord, reasoningText } from './decode-response.js';
import { mapStreamError } from './map-error.js';

export interface OpenAIStreamDecoder {
  push(data: string): StreamEvent[];
  end(): StreamEvent[];
}

interface ToolSlot {
  /** Canonical index (order of appearance). */
  readonly index: number;
  id: string | undefined;
  name: string | undefined;
  started: boolean;
  /** Arguments that arrived before the id and name did. */
  pending: string;
}

export function createOpenAIStreamDecoder(provider = 'openai', warnings: readonly string[] = []): OpenAIStreamDecoder {
  let started = false;
  let reasoning = false;
  let done = false;
  let finishReason: FinishReason | null = null;
  let usage: Usage | null = null;
  let nextIndex = 0;
  let open: ToolSlot | null = null;
  // Keyed by the upstream's `tool_calls[].index`.
  const slots = new Map<number, ToolSlot>();

  const closeOpen = (out: StreamEvent[]): void => {
    if (open !== null) out.push({ type: 'tool-call-end', index: open.index });
    open = null;
  };

  const endReasoning = (out: StreamEvent[]): void => {
    if (reasoning) out.push({ type: 'reasoning-end' });
    reasoning = false;
  };

  const finish = (out: StreamEvent[]): void => {
    endReasoning(out);
    closeOpen(out);
    done = true;
    out.push({ type: 'finish', finishReason: finishReason ?? { unified: 'other', raw: null }, usage });
  };

  const toolDelta = (raw: unknown, position: number, out: StreamEvent[]): void => {
    if (!isRecord(raw)) return;
    const key = typeof raw['index'] === 'number' ? raw['index'] : position;
    const fn = isRecord(raw['function']) ? raw['function'] : {};
    const id = typeof raw['id'] === 'string' && raw['id'] !== '' ? raw['id'] : undefined;
    const name = typeof fn['name'] === 'string' && fn['name'] !== '' ? fn['name'] : undefined;
    const args = fn['arguments'] === undefined || fn['arguments'] === null ? '' : argumentsText(fn['arguments']);

    let slot = slots.get(key);
    // Some servers number every call 0 and tell them apart only by id.
    if (slot === undefined || (id !== undefined && slot.id !== undefined && slot.id !== id)) {
      slot = { index: nextIndex++, id: undefined, name: undefined, started: false, pending: '' };
      slots.set(key, slot);
    }
    slot.id ??= id;
    slot.name ??= name;
    if (!slot.started) {
      slot.pending += args;
      if (slot.name === undefined) return;
      // A name without an id still has to be answerable by the client.
      slot.id ??= `call_${slot.index}`;
      closeOpen(out);
      slot.started = true;
      open = slot;
      out.push({ type: 'tool-call-start', index: slot.index, id: slot.id, name: slot.name });
      if (slot.pending !== '') out.push({ type: 'tool-call-delta', index: slot.index, argumentsDelta: slot.pending });
      slot.pending = '';
      return;
    }
    if (args !== '') out.push({ type: 'tool-call-delta', index: slot.index, argumentsDelta: args });
  };

  return {
    push(data) {
      if (done) return [];
      const out: StreamEvent[] = [];
      if (data.trim() === '[DONE]') {
        if (!started) throw new GatewayError('upstream_bad_response', `Provider ${provider} sent an empty stream`, { provider });
        finish(out);
        return out;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(data) as unknown;
      } catch {
        throw new GatewayError('upstream_bad_response', `Provider ${provider} sent a stream chunk that is not JSON`, { provider });
      }
      if (!isRecord(chunk)) {
        throw new GatewayError('upstream_bad_response', `Provider ${provider} sent a stream chunk that is not an object`, { provider });
      }
      if (chunk['error'] !== undefined && chunk['error'] !== null) throw mapStreamError(provider, chunk);

      if (!started) {
        started = true;
        out.push({
          type: 'start',
          ...(typeof chunk['id'] === 'string' && chunk['id'] !== '' ? { id: chunk['id'] } : {}),
          ...(warnings.length > 0 ? { warnings } : {}),
        });
      }
      const chunkUsage = decodeUsage(chunk['usage']) ?? (isRecord(chunk['x_groq']) ? decodeUsage(chunk['x_groq']['usage']) : null);
      if (chunkUsage !== null) usage = chunkUsage;

      const choices = Array.isArray(chunk['choices']) ? chunk['choices'] : [];
      for (const choice of choices) {
        // Only the first choice is relayed (the gateway never asks for n > 1).
        if (!isRecord(choice) || (typeof choice['index'] === 'number' && choice['index'] !== 0)) continue;
        const delta = isRecord(choice['delta']) ? choice['delta'] : {};
        const thought = reasoningText(delta);
        if (thought !== '') {
          reasoning = true;
          out.push({ type: 'reasoning-delta', text: thought });
        }
        const text = typeof delta['content'] === 'string' && delta['content'] !== '' ? delta['content'] : delta['refusal'];
        if ((typeof text === 'string' && text !== '') || Array.isArray(delta['tool_calls'])) endReasoning(out);
        if (typeof text === 'string' && text !== '') out.push({ type: 'text-delta', text });
        if (Array.isArray(delta['tool_calls'])) delta['tool_calls'].forEach((tc: unknown, i) => toolDelta(tc, i, out));
        const raw = choice['finish_reason'];
        if (typeof raw === 'string' && raw !== '') {
          finishReason = finishReasonFromOpenAI(raw);
          closeOpen(out);
        }
      }
      return out;
    },
    end() {
      if (done) return [];
      // A body that ends after its finish_reason but without [DONE] is complete (some servers
      // omit it); one that ends before was cut off.
      if (finishReason === null) {
        throw new GatewayError('upstream_unavailable', `Provider ${provider} ended the stream before it finished`, { provider });
      }
      const out: StreamEvent[] = [];
      finish(out);
      return out;
    },
  };
}
