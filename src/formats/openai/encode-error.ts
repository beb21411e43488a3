/**
 * GatewayError → the OpenAI error envelope and HTTP status.
 */
import { ERROR_CODES, type ErrorCode, type GatewayError } from '../../errors.js';
import type { OpenAIErrorBody } from './wire.js';

/** Where OpenAI has its own well-known code, clients match on that one. */
const OPENAI_CODES: Partial<Record<ErrorCode, string>> = {
  auth_invalid: 'invalid_api_key',
  rate_limited: 'rate_limit_exceeded',
  upstream_rate_limited: 'rate_limit_exceeded',
  model_not_found: 'model_not_found',
  context_length_exceeded: 'context_length_exceeded',
};

export function encodeOpenAIError(err: GatewayError): { status: number; body: OpenAIErrorBody } {
  // Internal failures are logged by the error handler; their details never reach the client.
  const message = err.code === 'internal' ? 'Internal server error' : err.message;
  return {
    status: err.status,
    body: { error: { message, type: ERROR_CODES[err.code].openaiType, code: OPENAI_CODES[err.code] ?? err.code, param: null } },
  };
}
