import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/formats/canonical.js';
import { GatewayError } from '../../../src/errors.js';
import { SseParser } from '../../../src/upstream/sse-parser.js';
import { createGeminiStreamDecoder } from './decode-stream.js';
import { fixtureSse, fixtureText } from './__fixtures__/load.js';

function run(datas: readonly string[], warnings?: string[]): StreamEvent[] {
  const decoder = createGeminiStreamDecoder(warnings === undefined ? {} : { warnings });
  return [...datas.flatMap((d) => decoder.push(d)), ...decoder.end()];
}

describe('createGeminiStreamDecoder (recorded transcripts)', () => {
  it('streams text and finishes with the last usage', () => {
    expect(run(fixtureSse('stream-text.sse'), ['w'])).toEqual([
      { type: 'start', id: '0LyWaJ3WBbqDkdUPxdzvmQ4', warnings: ['w'] },
      { type: 'text-delta', text: 'The capital' },
      { type: 'text-delta', text: ' of France is' },
      { type: 'text-delta', text: ' Paris.' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'STOP' }, usage: { inputTokens: 9, outputTokens: 20, reasoningTokens: 12 } },
    ]);
  });

  it('emits whole function calls as start + delta + end', () => {
    expect(run(fixtureSse('stream-function-call.sse'))).toEqual([
      { type: 'start', id: '5LyWaO3dIJKMkdUPpdGXoQs' },
      { type: 'tool-call-start', index: 0, id: 'call_0', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'fc-7', name: 'get_time' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"tz":"Europe/Paris"}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'STOP' }, usage: { inputTokens: 61, outputTokens: 30 } },
    ]);
  });

  it('finishes a blocked prompt with content-filter and no content', () => {
    expect(run(fixtureSse('stream-blocked.sse'))).toEqual([
      { type: 'start', id: '8LyWaMqZMoKCkdUP4Z7tsAk' },
      { type: 'finish', finishReason: { unified: 'content-filter', raw: 'SAFETY' }, usage: { inputTokens: 14, outputTokens: 0 } },
    ]);
  });

  it('throws a mapped error for an error envelope inside the stream', () => {
    const decoder = createGeminiStreamDecoder();
    const [first, second] = fixtureSse('stream-error.sse');
    expect(decoder.push(first ?? '')).toEqual([{ type: 'start' }, { type: 'text-delta', text: 'Once upon' }]);
    try {
      decoder.push(second ?? '');
      expect.unreachable();
    } catch (err) {
      expect((err as GatewayError).code).toBe('upstream_unavailable');
      expect((err as GatewayError).status).toBe(503);
    }
  });

  it('gives the same events when the transcript arrives one byte at a time', () => {
    const bytes = new TextEncoder().encode(fixtureText('stream-text.sse'));
    const parser = new SseParser();
    const datas: string[] = [];
    for (const byte of bytes) datas.push(...parser.push(new Uint8Array([byte])).map((m) => m.data));
    datas.push(...parser.end().map((m) => m.data));
    expect(run(datas)).toEqual(run(fixtureSse('stream-text.sse')));
  });

  it('rejects non-JSON chunks and an empty stream as upstream_bad_response', () => {
    expect(() => createGeminiStreamDecoder().push('{oops')).toThrow(GatewayError);
    expect(() => createGeminiStreamDecoder().end()).toThrow(/unexpected response/);
  });

  it('reports other/null when the stream ends without a finish reason', () => {
    const events = run([JSON.stringify({ candidates: [{ content: { parts: [{ text: 'hi' }] } }] })]);
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'other', raw: null }, usage: null });
  });
});

describe('createGeminiStreamDecoder: thoughts', () => {
  it('relays thought summaries as reasoning, closed before the answer', () => {
    const chunk = (parts: unknown[], finishReason?: string) =>
      JSON.stringify({ responseId: 'r', candidates: [{ content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}) }] });
    expect(run([chunk([{ text: 'Let me think', thought: true }]), chunk([{ text: ' more.', thought: true }]), chunk([{ text: 'Answer.' }], 'STOP')])).toEqual([
      { type: 'start', id: 'r' },
      { type: 'reasoning-delta', text: 'Let me think' },
      { type: 'reasoning-delta', text: ' more.' },
      { type: 'reasoning-end' },
      { type: 'text-delta', text: 'Answer.' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'STOP' }, usage: null },
    ]);
  });
});
