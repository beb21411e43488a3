import { describe, expect, it } from 'vitest';
import { mapGeminiError } from './map-error.js';
import { fixtureText } from './__fixtures__/load.js';

describe('mapGeminiError', () => {
  const cases: [string, number, string, string, number, boolean][] = [
    // name, http status, body, code, status, retryable
    ['429 quota', 429, fixtureText('error-429.json'), 'upstream_rate_limited', 429, true],
    [
      'RESOURCE_EXHAUSTED under another status',
      400,
      '{"error":{"code":400,"message":"quota","status":"RESOURCE_EXHAUSTED"}}',
      'upstream_rate_limited',
      429,
      true,
    ],
    ['context too long', 400, fixtureText('error-context-length.json'), 'context_length_exceeded', 400, false],
    ['bad API key (our credential: the next candidate may work)', 400, fixtureText('error-api-key.json'), 'upstream_unavailable', 502, true],
    ['403 (our credential)', 403, '{"error":{"code":403,"message":"Permission denied","status":"PERMISSION_DENIED"}}', 'upstream_unavailable', 502, true],
    ['503 overloaded', 503, fixtureText('error-503.json'), 'upstream_unavailable', 503, true],
    ['500 HTML', 500, '<html>oops</html>', 'upstream_unavailable', 500, true],
    ['408', 408, '', 'upstream_timeout', 504, true],
  ];
  it.each(cases)('%s', (_name, httpStatus, body, code, status, retryable) => {
    const err = mapGeminiError(httpStatus, body);
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.retryable).toBe(retryable);
    expect(err.provider).toBe('gemini');
  });

  it("passes Google's message on", () => {
    expect(mapGeminiError(400, fixtureText('error-api-key.json')).message).toMatch(/API key not valid\. Please pass a valid API key\.$/);
    expect(mapGeminiError(502, '').message).toBe('Gemini answered HTTP 502');
  });

  it('never echoes a key', () => {
    const key = 'AIzaSyA1234567890abcdefghijklmnopqrstu';
    const body = JSON.stringify({ error: { code: 400, message: `Key ${key} and secret-key-value are invalid`, status: 'INVALID_ARGUMENT' } });
    const err = mapGeminiError(400, body, 'secret-key-value');
    expect(err.message).not.toContain(key);
    expect(err.message).not.toContain('secret-key-value');
    expect(err.message).toContain('[redacted]');
  });
});
