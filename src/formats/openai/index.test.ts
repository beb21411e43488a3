import { describe, expect, it } from 'vitest';
import { openaiFormat } from './index.js';

describe('openaiFormat', () => {
  it('wires decode, ids, results and streams together', () => {
    const { request, includeUsage } = openaiFormat.decode({
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(request).toMatchObject({ model: 'auto', stream: true, maxTokens: 2048, temperature: 0.2 });
    expect(includeUsage).toBe(true);
    expect(openaiFormat.responseId('abc-123')).toBe('chatcmpl-abc-123');
    expect(openaiFormat.responseId('chatcmpl-x')).toBe('chatcmpl-x');
    const meta = { id: 'chatcmpl-abc', model: 'm', created: 0, includeUsage: true, inputTokens: 3 };
    expect(openaiFormat.encodeResult({ content: [], finishReason: { unified: 'stop', raw: null }, usage: null }, meta)).toMatchObject({
      id: 'chatcmpl-abc',
      object: 'chat.completion',
    });
    const enc = openaiFormat.streamEncoder(meta);
    expect(enc.encode({ type: 'start' })).toContain('"role":"assistant"');
    expect(enc.end()).toBe('data: [DONE]\n\n');
  });
});
