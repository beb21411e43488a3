import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/formats/canonical.js';
import { SseParser } from '../../../src/upstream/sse-parser.js';
import { createAnthropicStreamDecoder } from './decode-stream.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

/** Replays an SSE transcript cut into `chunkSize`-byte pieces, as the network would deliver it. */
function replay(sse: string, chunkSize = 17, warnings?: string[]): StreamEvent[] {
  const decoder = createAnthropicStreamDecoder(warnings ? { warnings } : {});
  const parser = new SseParser();
  const bytes = new TextEncoder().encode(sse);
  const out: StreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    for (const m of parser.push(bytes.subarray(i, i + chunkSize))) out.push(...decoder.push(m.event, m.data));
  }
  for (const m of parser.end()) out.push(...decoder.push(m.event, m.data));
  out.push(...decoder.end());
  return out;
}

describe('createAnthropicStreamDecoder', () => {
  it.each([1, 17, 100000])('decodes a text transcript (chunks of %i bytes)', (size) => {
    expect(replay(fixture('stream-text.sse'), size, ['w1'])).toEqual([
      { type: 'start', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', warnings: ['w1'], usage: { inputTokens: 25 } },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' }, usage: { inputTokens: 25, outputTokens: 15 } },
    ]);
  });

  it('decodes thinking (with its signature), then text, then tool calls', () => {
    const events = replay(fixture('stream-tool-use.sse'));
    expect(events).toEqual([
      { type: 'start', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', usage: { inputTokens: 472 } },
      { type: 'reasoning-delta', text: 'I need the weather tool.' },
      { type: 'reasoning-end', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
      { type: 'text-delta', text: "Okay, let's check" },
      { type: 'text-delta', text: ' the weather for San Francisco, CA:' },
      { type: 'tool-call-start', index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ' "San Francisc' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'o, CA", "unit": "fah' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'renheit"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'toolu_01Xq2Yh3', name: 'get_time' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' }, usage: { inputTokens: 472, outputTokens: 89 } },
    ]);
    const args = events.flatMap((e) => (e.type === 'tool-call-delta' && e.index === 0 ? [e.argumentsDelta] : [])).join('');
    expect(JSON.parse(args)).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' });
  });

  it('turns an error event into a mapped GatewayError and stops', () => {
    const events = replay(fixture('stream-error.sse'));
    expect(events.map((e) => e.type)).toEqual(['start', 'text-delta', 'error']);
    const last = events[2];
    expect(last?.type === 'error' && last.error.code).toBe('upstream_unavailable');
    expect(last?.type === 'error' && last.error.retryable).toBe(true);
  });

  it('reports a stream cut before message_stop', () => {
    const cut = fixture('stream-text.sse').split('event: message_delta')[0] ?? '';
    const events = replay(cut);
    const last = events[events.length - 1];
    expect(last?.type === 'error' && last.error.code).toBe('upstream_bad_response');
  });

  it('uses the data type when the event name is absent and picks up late input usage', () => {
    const d = createAnthropicStreamDecoder();
    d.push(undefined, '{"type":"message_start","message":{"id":"m","usage":{"input_tokens":3,"cache_read_input_tokens":7}}}');
    d.push(
      undefined,
      '{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":9,"input_tokens":4,"cache_read_input_tokens":null}}',
    );
    expect(d.push(undefined, '{"type":"message_stop"}')).toEqual([
      { type: 'finish', finishReason: { unified: 'length', raw: 'max_tokens' }, usage: { inputTokens: 11, outputTokens: 9, cacheReadTokens: 7 } },
    ]);
    expect(d.end()).toEqual([]);
  });

  it.each([
    ['not json', 'message_start', '{oops'],
    ['content before start', 'content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}'],
  ])('rejects %s', (_label, event, data) => {
    const [ev] = createAnthropicStreamDecoder().push(event, data);
    expect(ev?.type === 'error' && ev.error.code).toBe('upstream_bad_response');
  });
});

describe('createAnthropicStreamDecoder: structured output and redacted thinking', () => {
  const start = '{"type":"message_start","message":{"id":"m","usage":{"input_tokens":5,"cache_creation_input_tokens":100,"cache_read_input_tokens":0}}}';
  const run = (decoder: ReturnType<typeof createAnthropicStreamDecoder>, events: [string, unknown][]) =>
    events.flatMap(([event, data]) => decoder.push(event, JSON.stringify(data)));

  it('streams the forced JSON tool input as text (no prose beside it) and finishes with stop', () => {
    const decoder = createAnthropicStreamDecoder({ jsonTool: { name: 'json_response', wrapped: false, only: true } });
    const events = [
      ...decoder.push('message_start', start),
      ...run(decoder, [
        ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Here is the JSON:' } }],
        ['content_block_stop', { index: 0 }],
        ['content_block_start', { index: 1, content_block: { type: 'tool_use', id: 't', name: 'json_response', input: {} } }],
        ['content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"n":' } }],
        ['content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '4}' } }],
        ['content_block_stop', { index: 1 }],
        ['message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } }],
        ['message_stop', {}],
      ]),
    ];
    expect(events).toEqual([
      { type: 'start', id: 'm', usage: { inputTokens: 105, cacheWriteTokens: 100 } },
      { type: 'text-delta', text: '{"n":' },
      { type: 'text-delta', text: '4}' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' }, usage: { inputTokens: 105, outputTokens: 7, cacheWriteTokens: 100 } },
    ]);
  });

  it('unwraps a wrapped schema at the end of the block, and relays redacted_thinking', () => {
    const decoder = createAnthropicStreamDecoder({ jsonTool: { name: 'json_response', wrapped: true, only: true } });
    decoder.push('message_start', start);
    const events = run(decoder, [
      ['content_block_start', { index: 0, content_block: { type: 'redacted_thinking', data: 'EmwK' } }],
      ['content_block_stop', { index: 0 }],
      ['content_block_start', { index: 1, content_block: { type: 'tool_use', id: 't', name: 'json_response', input: {} } }],
      ['content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"value":[1,' } }],
      ['content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '2]}' } }],
      ['content_block_stop', { index: 1 }],
    ]);
    expect(events).toEqual([
      { type: 'reasoning-end', redactedData: 'EmwK' },
      { type: 'text-delta', text: '[1,2]' },
    ]);
  });
});
