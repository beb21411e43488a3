import { describe, expect, it } from 'vitest';
import type { ChatResult } from '../canonical.js';
import { encodeAnthropicMessage } from './encode-result.js';

describe('encodeAnthropicMessage', () => {
  it('encodes text and tool calls as a full Message', () => {
    const result: ChatResult = {
      id: 'upstream-id',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'call_2', name: 'broken', arguments: '{oops' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage: { inputTokens: 120, outputTokens: 30, cacheReadTokens: 100 },
    };
    expect(encodeAnthropicMessage(result, { id: 'req123', model: 'gpt-4o' })).toEqual({
      id: 'msg_req123',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'broken', input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
    });
  });

  it.each([
    [{ unified: 'stop', raw: 'stop' }, 'end_turn'],
    [{ unified: 'stop', raw: 'stop_sequence' }, 'stop_sequence'],
    [{ unified: 'length', raw: 'length' }, 'max_tokens'],
    [{ unified: 'tool-calls', raw: null }, 'tool_use'],
    [{ unified: 'content-filter', raw: 'content_filter' }, 'refusal'],
    [{ unified: 'other', raw: 'pause_turn' }, 'pause_turn'],
    [{ unified: 'error', raw: null }, 'end_turn'],
  ] as const)('finish %j → %s', (finishReason, stop) => {
    const msg = encodeAnthropicMessage({ content: [], finishReason, usage: null }, { id: 'msg_x', model: 'm' }) as Record<string, unknown>;
    expect(msg['stop_reason']).toBe(stop);
    expect(msg['id']).toBe('msg_x');
    expect(msg['usage']).toEqual({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });
});
