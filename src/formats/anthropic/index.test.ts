import { describe, expect, it } from 'vitest';
import { anthropicFormat } from './index.js';

describe('anthropicFormat', () => {
  it('wires decode, ids, results and streams together', () => {
    const { request, includeUsage } = anthropicFormat.decode({ max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(request.model).toBe('auto');
    expect(includeUsage).toBe(true);
    expect(anthropicFormat.responseId('abc-123')).toBe('msg_abc-123');
    const meta = { id: 'msg_abc', model: 'm', created: 0, includeUsage: true, inputTokens: 3 };
    expect(anthropicFormat.encodeResult({ content: [], finishReason: { unified: 'stop', raw: null }, usage: null }, meta)).toMatchObject({
      id: 'msg_abc',
      type: 'message',
    });
    const enc = anthropicFormat.streamEncoder(meta);
    expect(enc.encode({ type: 'start' })).toContain('event: message_start');
    expect(enc.end()).toBe('');
  });
});
