import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapAnthropicHttpError, mapAnthropicStreamError } from './map-error.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const envelope = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message } });

describe('mapAnthropicHttpError', () => {
  it.each([
    [529, fixture('error-overloaded.json'), 'upstream_unavailable', true],
    [500, envelope('api_error', 'Internal'), 'upstream_unavailable', true],
    [429, envelope('rate_limit_error', 'Slow down'), 'upstream_rate_limited', true],
    [400, fixture('error-prompt-too-long.json'), 'context_length_exceeded', false],
    [400, envelope('invalid_request_error', 'input length and `max_tokens` exceed context limit: 1 + 2 > 3'), 'context_length_exceeded', false],
    [400, envelope('invalid_request_error', 'messages: roles must alternate'), 'upstream_error', false],
    [401, envelope('authentication_error', 'invalid x-api-key'), 'upstream_unavailable', true],
    [502, '<html>bad gateway</html>', 'upstream_unavailable', true],
  ])('HTTP %i → %s', (status, body, code, retryable) => {
    const err = mapAnthropicHttpError('anthropic', status, body);
    expect(err.code).toBe(code);
    expect(err.retryable).toBe(retryable);
    expect(err.provider).toBe('anthropic');
  });

  it('passes the envelope message and status on', () => {
    const err = mapAnthropicHttpError('anthropic', 400, envelope('invalid_request_error', 'messages: roles must alternate'));
    expect(err.status).toBe(400);
    expect(err.message).toBe('Provider anthropic: messages: roles must alternate');
    expect(mapAnthropicHttpError('anthropic', 503, '').message).toBe('Provider anthropic: HTTP 503');
  });

  it('never echoes something that looks like a key', () => {
    const err = mapAnthropicHttpError('anthropic', 401, envelope('authentication_error', 'bad key sk-ant-api03-abcdefghijklmnop'));
    expect(err.message).not.toContain('sk-ant');
  });
});

describe('mapAnthropicStreamError', () => {
  it.each([
    ['overloaded_error', 'upstream_unavailable'],
    ['api_error', 'upstream_unavailable'],
    ['rate_limit_error', 'upstream_rate_limited'],
    ['invalid_request_error', 'upstream_error'],
    ['mystery_error', 'upstream_unavailable'],
  ])('%s → %s', (type, code) => {
    expect(mapAnthropicStreamError('anthropic', { type: 'error', error: { type, message: 'x' } }).code).toBe(code);
  });
});
