/** GatewayError → the Anthropic error envelope (HTTP body, and the data of a stream `error` event). */
import { ERROR_CODES, type GatewayError } from '../../errors.js';

export interface AnthropicErrorBody {
  readonly type: 'error';
  readonly error: { readonly type: string; readonly message: string };
}

export function encodeAnthropicError(err: GatewayError): { status: number; body: AnthropicErrorBody } {
  return {
    status: err.status,
    body: { type: 'error', error: { type: ERROR_CODES[err.code].anthropicType, message: err.message } },
  };
}
