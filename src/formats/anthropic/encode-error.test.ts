import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import { encodeAnthropicError } from './encode-error.js';

describe('encodeAnthropicError', () => {
  it.each([
    [new GatewayError('request_invalid', 'max_tokens: required'), 400, 'invalid_request_error'],
    [new GatewayError('auth_invalid', 'Invalid or missing API key'), 401, 'authentication_error'],
    [new GatewayError('insufficient_credits', 'No credits'), 402, 'billing_error'],
    [new GatewayError('rate_limited', 'Too many'), 429, 'rate_limit_error'],
    [new GatewayError('payload_too_large', 'Too big'), 413, 'request_too_large'],
    [new GatewayError('upstream_unavailable', 'Overloaded', { status: 529 }), 529, 'api_error'],
    [new GatewayError('service_unavailable', 'Draining'), 503, 'overloaded_error'],
  ])('%s → %i %s', (err, status, type) => {
    expect(encodeAnthropicError(err)).toEqual({ status, body: { type: 'error', error: { type, message: err.message } } });
  });
});
