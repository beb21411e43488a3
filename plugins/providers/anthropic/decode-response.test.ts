import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import { decodeAnthropicMessage } from './decode-response.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

describe('decodeAnthropicMessage', () => {
  it('decodes a text answer', () => {
    expect(decodeAnthropicMessage(fixture('message-text.json'))).toEqual({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: 12, outputTokens: 12 },
    });
  });

  it('decodes thinking with its signature, tool_use, and counts cache reads in the prompt', () => {
    const result = decodeAnthropicMessage(fixture('message-tool-use.json'));
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'The user wants the weather.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
      { type: 'text', text: "I'll check the weather in San Francisco." },
      { type: 'tool-call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
    ]);
    expect(result.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(result.usage).toEqual({ inputTokens: 384 + 2048, outputTokens: 88, cacheReadTokens: 2048 });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    ['something_new', 'other'],
  ])('stop_reason %s → %s', (raw, unified) => {
    const result = decodeAnthropicMessage({ content: [], stop_reason: raw, usage: { input_tokens: 1, output_tokens: 2 } });
    expect(result.finishReason).toEqual({ unified, raw });
  });

  it.each([
    ['not an object', 'nope'],
    ['no content', { id: 'x' }],
    ['text without text', { content: [{ type: 'text' }] }],
    ['tool_use without id', { content: [{ type: 'tool_use', name: 'f', input: {} }] }],
  ])('rejects %s as upstream_bad_response', (_label, body) => {
    expect(() => decodeAnthropicMessage(body)).toThrow(GatewayError);
    try {
      decodeAnthropicMessage(body);
    } catch (err) {
      expect((err as GatewayError).code).toBe('upstream_bad_response');
    }
  });

  it('decodes redacted_thinking and cache writes', () => {
    const result = decodeAnthropicMessage({
      content: [
        { type: 'redacted_thinking', data: 'EmwKAhgB' },
        { type: 'text', text: 'ok' },
      ],
      stop_reason: 'end_turn',
      usage: { input_tokens: 10, cache_creation_input_tokens: 3000, cache_read_input_tokens: 500, output_tokens: 4 },
    });
    expect(result.content).toEqual([
      { type: 'reasoning', text: '', redactedData: 'EmwKAhgB' },
      { type: 'text', text: 'ok' },
    ]);
    expect(result.usage).toEqual({ inputTokens: 3510, outputTokens: 4, cacheReadTokens: 500, cacheWriteTokens: 3000 });
  });

  it('turns the forced JSON tool back into the answer text with finish stop', () => {
    const body = {
      content: [
        { type: 'text', text: 'Sure!' },
        { type: 'tool_use', id: 't', name: 'json_response', input: { n: 4 } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 1, output_tokens: 2 },
    };
    const result = decodeAnthropicMessage(body, 'anthropic', { name: 'json_response', wrapped: false, only: true });
    expect(result.content).toEqual([{ type: 'text', text: '{"n":4}' }]);
    expect(result.finishReason).toEqual({ unified: 'stop', raw: 'end_turn' });
    const wrapped = decodeAnthropicMessage(
      { ...body, content: [{ type: 'tool_use', id: 't', name: 'json_response', input: { value: ['a', 'b'] } }] },
      'anthropic',
      { name: 'json_response', wrapped: true, only: true },
    );
    expect(wrapped.content).toEqual([{ type: 'text', text: '["a","b"]' }]);
  });

  it('reports missing usage as null', () => {
    expect(decodeAnthropicMessage({ content: [], stop_reason: null }).usage).toBeNull();
  });
});
