import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { createAnthropicStreamDecoder } from '../../../plugins/providers/anthropic/decode-stream.js';
import { GatewayError } from '../../errors.js';
import { SseParser } from '../../upstream/sse-parser.js';
import type { StreamEvent } from '../canonical.js';
import { AnthropicStreamEncoder } from './encode-stream.js';

const meta = { id: 'req1', model: 'gpt-4o', inputTokens: 42 };

function encodeAll(events: StreamEvent[]): string {
  const enc = new AnthropicStreamEncoder(meta);
  return events.map((e) => enc.encode(e)).join('');
}

function frames(sse: string): { event: string | undefined; data: Record<string, unknown> }[] {
  const parser = new SseParser();
  return [...parser.push(sse), ...parser.end()].map((m) => ({ event: m.event, data: JSON.parse(m.data) as Record<string, unknown> }));
}

const mixed: StreamEvent[] = [
  { type: 'start', id: 'up-1' },
  { type: 'text-delta', text: 'Let me ' },
  { type: 'text-delta', text: 'check.' },
  { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
  { type: 'tool-call-end', index: 0 },
  { type: 'tool-call-start', index: 1, id: 'call_b', name: 'get_time' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{"tz":"CET"}' },
  { type: 'tool-call-end', index: 1 },
  { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: { inputTokens: 50, outputTokens: 17 } },
];

describe('AnthropicStreamEncoder', () => {
  it('emits the real event sequence with increasing block indexes', () => {
    const out = frames(encodeAll(mixed));
    for (const f of out) expect(f.data['type']).toBe(f.event);
    expect(out.map((f) => [f.event, f.data['index']])).toEqual([
      ['message_start', undefined],
      ['ping', undefined],
      ['content_block_start', 0],
      ['content_block_delta', 0],
      ['content_block_delta', 0],
      ['content_block_stop', 0],
      ['content_block_start', 1],
      ['content_block_delta', 1],
      ['content_block_delta', 1],
      ['content_block_stop', 1],
      ['content_block_start', 2],
      ['content_block_delta', 2],
      ['content_block_stop', 2],
      ['message_delta', undefined],
      ['message_stop', undefined],
    ]);
    expect(out[0]?.data['message']).toMatchObject({
      id: 'msg_req1',
      model: 'gpt-4o',
      role: 'assistant',
      content: [],
      usage: { input_tokens: 42, output_tokens: 0 },
    });
    expect(out[6]?.data['content_block']).toEqual({ type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} });
    expect(out[7]?.data['delta']).toEqual({ type: 'input_json_delta', partial_json: '{"city":' });
    expect(out[13]?.data).toMatchObject({ delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 17, input_tokens: 50 } });
  });

  it('interleaves text after a tool call in a new block, and closes open blocks on finish', () => {
    const out = frames(
      encodeAll([
        { type: 'text-delta', text: 'a' },
        { type: 'tool-call-start', index: 0, id: 't', name: 'f' },
        { type: 'text-delta', text: 'b' },
        { type: 'finish', finishReason: { unified: 'stop', raw: null }, usage: null },
      ]),
    );
    expect(out.map((f) => `${f.event}:${String(f.data['index'] ?? '')}`)).toEqual([
      'message_start:',
      'ping:',
      'content_block_start:0',
      'content_block_delta:0',
      'content_block_stop:0',
      'content_block_start:1',
      'content_block_stop:1',
      'content_block_start:2',
      'content_block_delta:2',
      'content_block_stop:2',
      'message_delta:',
      'message_stop:',
    ]);
    expect(out[10]?.data).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 42, output_tokens: 0 } });
  });

  it('sends late deltas of an already-closed tool call to that block', () => {
    const out = frames(
      encodeAll([
        { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
        { type: 'tool-call-start', index: 1, id: 'b', name: 'g' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
        { type: 'tool-call-end', index: 0 },
        { type: 'tool-call-end', index: 1 },
      ]),
    );
    expect(out.slice(2).map((f) => `${f.event}:${String(f.data['index'])}`)).toEqual([
      'content_block_start:0',
      'content_block_stop:0',
      'content_block_start:1',
      'content_block_delta:0',
      'content_block_stop:1',
    ]);
  });

  it('renders an error as the Anthropic envelope and ignores anything after it', () => {
    const enc = new AnthropicStreamEncoder(meta);
    const text =
      enc.encode({ type: 'start' }) +
      enc.encode({ type: 'text-delta', text: 'x' }) +
      enc.encode({ type: 'error', error: new GatewayError('upstream_unavailable', 'Provider x is unreachable') });
    const out = frames(text + enc.encode({ type: 'text-delta', text: 'late' }));
    expect(out[out.length - 1]).toEqual({ event: 'error', data: { type: 'error', error: { type: 'api_error', message: 'Provider x is unreachable' } } });
    expect(out.map((f) => f.event)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'error']);
  });

  it('round-trips through the provider decoder', () => {
    const decoder = createAnthropicStreamDecoder();
    const back = frames(encodeAll(mixed)).flatMap((f) => decoder.push(f.event, JSON.stringify(f.data)));
    expect(back).toEqual([
      // Without provider input usage, message_start carries the gateway's estimate.
      { type: 'start', id: 'msg_req1', usage: { inputTokens: 42 } },
      ...mixed.slice(1, -1),
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' }, usage: { inputTokens: 50, outputTokens: 17 } },
    ]);
  });

  it('is accumulated into the final message by the official SDK', async () => {
    const sse = encodeAll(mixed);
    const client = new Anthropic({
      apiKey: 'test',
      baseURL: 'http://127.0.0.1:1',
      maxRetries: 0,
      fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    });
    const stream = client.messages.stream({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const message = await stream.finalMessage();
    expect(texts.join('')).toBe('Let me check.');
    expect(message.id).toBe('msg_req1');
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage.output_tokens).toBe(17);
    expect(message.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_b', name: 'get_time', input: { tz: 'CET' } },
    ]);
  });

  it('surfaces a mid-stream error to the official SDK as an API error', async () => {
    const enc = new AnthropicStreamEncoder(meta);
    const sse = enc.encode({ type: 'text-delta', text: 'x' }) + enc.error(new GatewayError('upstream_unavailable', 'gone'));
    const client = new Anthropic({
      apiKey: 'test',
      baseURL: 'http://127.0.0.1:1',
      maxRetries: 0,
      fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    });
    const stream = client.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    await expect(stream.finalMessage()).rejects.toThrow(/gone/);
  });

  const thinking: StreamEvent[] = [
    { type: 'start', id: 'up-2', usage: { inputTokens: 1200, cacheReadTokens: 1000, cacheWriteTokens: 150 } },
    { type: 'reasoning-delta', text: 'Think ' },
    { type: 'reasoning-delta', text: 'hard.' },
    { type: 'reasoning-end', signature: 'sig-abc' },
    { type: 'reasoning-end', redactedData: 'opaque==' },
    { type: 'text-delta', text: 'Done.' },
    {
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: 1200, outputTokens: 30, cacheReadTokens: 1000, cacheWriteTokens: 150 },
    },
  ];

  it('puts the provider-reported input usage in message_start and the full usage in message_delta', () => {
    const out = frames(encodeAll(thinking));
    const usage = { input_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 150 };
    const start = out[0]?.data['message'] as Record<string, unknown> | undefined;
    expect(start?.['usage']).toEqual({ ...usage, output_tokens: 0 });
    expect(out.find((f) => f.event === 'message_delta')?.data['usage']).toEqual({ ...usage, output_tokens: 30 });
  });

  it('renders reasoning as thinking blocks (signature_delta) and redacted_thinking, round-tripping through the provider decoder', () => {
    const out = frames(encodeAll(thinking));
    expect(out.slice(2, 9).map((f) => [f.event, f.data['index'], f.data['content_block'] ?? f.data['delta']])).toEqual([
      ['content_block_start', 0, { type: 'thinking', thinking: '', signature: '' }],
      ['content_block_delta', 0, { type: 'thinking_delta', thinking: 'Think ' }],
      ['content_block_delta', 0, { type: 'thinking_delta', thinking: 'hard.' }],
      ['content_block_delta', 0, { type: 'signature_delta', signature: 'sig-abc' }],
      ['content_block_stop', 0, undefined],
      ['content_block_start', 1, { type: 'redacted_thinking', data: 'opaque==' }],
      ['content_block_stop', 1, undefined],
    ]);
    const decoder = createAnthropicStreamDecoder();
    const back = out.flatMap((f) => decoder.push(f.event, JSON.stringify(f.data)));
    expect(back.slice(1)).toEqual(thinking.slice(1));
  });

  it('gives the official SDK thinking blocks with their signatures', async () => {
    const sse = encodeAll(thinking);
    const client = new Anthropic({
      apiKey: 'test',
      baseURL: 'http://127.0.0.1:1',
      maxRetries: 0,
      fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    });
    const message = await client.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Think hard.', signature: 'sig-abc' },
      { type: 'redacted_thinking', data: 'opaque==' },
      { type: 'text', text: 'Done.' },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 50, output_tokens: 30, cache_read_input_tokens: 1000, cache_creation_input_tokens: 150 });
  });
});
