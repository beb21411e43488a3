/**
 * Classifies an OpenAI-compatible server's error answer. The upstream's own `error.message` is
 * passed on (it is what the client would have seen talking to the provider directly), minus
 * anything that looks like a credential; raw bodies, headers and keys never are.
 */
import { GatewayError, upstreamStatusError } from '../../../src/errors.js';

const MAX_MESSAGE = 500;
// OpenAI echoes a masked key in 401 messages ("sk-proj-****abcd"); vLLM/others may echo it whole.
const KEY_LIKE = /\b(?:sk|pk|rk|key|bkb|gsk|xai)[-_][A-Za-z0-9_*.-]{6,}/gi;
const CONTEXT_MESSAGE = /maximum context length|context length exceeded|context window|too many tokens|prompt is too long/i;

export interface UpstreamErrorInfo {
  readonly message: string | undefined;
  readonly code: string | undefined;
  readonly type: string | undefined;
}

/** Reads `{"error":{"message","code","type"}}` (also `{"error":"text"}`, `{"message":…}`) from a body. */
export function parseErrorBody(body: unknown): UpstreamErrorInfo {
  const none = { message: undefined, code: undefined, type: undefined };
  if (typeof body !== 'object' || body === null) return none;
  const rec = body as Record<string, unknown>;
  const err = rec['error'];
  if (typeof err === 'string') return { ...none, message: err };
  const src = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : rec;
  return {
    message: typeof src['message'] === 'string' ? src['message'] : undefined,
    code: typeof src['code'] === 'string' ? src['code'] : undefined,
    type: typeof src['type'] === 'string' ? src['type'] : undefined,
  };
}

export function sanitizeMessage(message: string): string {
  const clean = message.replace(KEY_LIKE, '[redacted]').trim();
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Upstream non-2xx (status + raw body text) → GatewayError. */
export function mapOpenAIError(provider: string, status: number, bodyText: string): GatewayError {
  const info = parseErrorBody(tryJson(bodyText));
  // The gateway's own provider credential was refused: not the client's fault, and another
  // provider may well work, so it is retryable and never shown as the client's 401.
  if (status === 401 || status === 403) {
    return new GatewayError('upstream_unavailable', `Provider ${provider} rejected the gateway's credentials (HTTP ${status})`, {
      provider,
      status: 502,
    });
  }
  const message = info.message !== undefined && info.message.trim() !== '' ? sanitizeMessage(info.message) : `Provider ${provider} answered HTTP ${status}`;
  if (status === 400 || status === 413) {
    if (info.code === 'context_length_exceeded' || CONTEXT_MESSAGE.test(info.message ?? '')) {
      return new GatewayError('context_length_exceeded', message, { provider });
    }
  }
  return upstreamStatusError(provider, status, message);
}

/** An `{"error":…}` object received inside a 200 stream (servers send these mid-stream). */
export function mapStreamError(provider: string, payload: unknown): GatewayError {
  const info = parseErrorBody(payload);
  const message = info.message !== undefined ? sanitizeMessage(info.message) : `Provider ${provider} reported an error mid-stream`;
  if (info.code === 'context_length_exceeded') return new GatewayError('context_length_exceeded', message, { provider });
  if (info.code === 'rate_limit_exceeded' || info.type === 'rate_limit_exceeded') {
    return new GatewayError('upstream_rate_limited', message, { provider });
  }
  return new GatewayError('upstream_unavailable', message, { provider });
}
