/**
 * Anthropic failures → GatewayError. HTTP errors and mid-stream `error` events carry the same
 * envelope `{"type":"error","error":{"type":"…","message":"…"}}`.
 */
import { GatewayError, upstreamStatusError } from '../../../src/errors.js';
import { isRecord } from './wire.js';

/** The HTTP status Anthropic uses for each error type (for errors that arrive inside a stream). */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

// The one place where Anthropic's message text is matched: it has no distinct type for this.
const CONTEXT_EXCEEDED = /prompt is too long|exceeds? context limit/i;
const SECRET = /\b(sk-ant-[A-Za-z0-9_-]+|sk-[A-Za-z0-9_-]{16,})/g;
const MAX_MESSAGE = 500;

interface Envelope {
  readonly type: string | undefined;
  readonly message: string | undefined;
}

export function parseErrorEnvelope(body: unknown): Envelope {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return { type: undefined, message: undefined };
    }
  }
  const error = isRecord(value) ? value['error'] : undefined;
  if (!isRecord(error)) return { type: undefined, message: undefined };
  return {
    type: typeof error['type'] === 'string' ? error['type'] : undefined,
    message: typeof error['message'] === 'string' ? error['message'] : undefined,
  };
}

function classify(provider: string, status: number, envelope: Envelope): GatewayError {
  const detail = envelope.message === undefined ? `HTTP ${status}` : sanitize(envelope.message);
  const message = `Provider ${provider}: ${detail}`;
  if (status === 400 && envelope.message !== undefined && CONTEXT_EXCEEDED.test(envelope.message)) {
    return new GatewayError('context_length_exceeded', message, { provider });
  }
  return upstreamStatusError(provider, status, message);
}

/** A non-2xx HTTP answer; `bodyText` is the raw response body. */
export function mapAnthropicHttpError(provider: string, status: number, bodyText: string): GatewayError {
  return classify(provider, status, parseErrorEnvelope(bodyText));
}

/** The data of an SSE `error` event. */
export function mapAnthropicStreamError(provider: string, data: unknown): GatewayError {
  const envelope = parseErrorEnvelope(data);
  const status = envelope.type === undefined ? 500 : (STATUS_OF_TYPE[envelope.type] ?? 500);
  return classify(provider, status, envelope);
}

function sanitize(message: string): string {
  const clean = message.replace(SECRET, '[redacted]');
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}
