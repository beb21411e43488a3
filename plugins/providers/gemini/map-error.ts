/**
 * Gemini's error envelope `{error: {code, message, status}}` → GatewayError. Messages are passed
 * on (they help the client fix its request) with anything that looks like an API key removed.
 */
import { GatewayError, upstreamStatusError } from '../../../src/errors.js';
import { PROVIDER } from './decode-response.js';
import { isRecord } from './wire.js';

const MAX_MESSAGE = 500;
const GOOGLE_KEY = /AIza[0-9A-Za-z_-]{20,}/g;

export function mapGeminiError(status: number, bodyText: string, apiKey?: string): GatewayError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  return envelopeError(body, status, apiKey);
}

/** `httpStatus` is undefined for an envelope that arrives inside a 200 stream. */
export function envelopeError(body: unknown, httpStatus: number | undefined, apiKey?: string): GatewayError {
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const code = typeof error?.['code'] === 'number' ? error['code'] : undefined;
  const statusName = typeof error?.['status'] === 'string' ? error['status'] : undefined;
  const raw = typeof error?.['message'] === 'string' && error['message'] !== '' ? error['message'] : undefined;
  const status = httpStatus ?? (code !== undefined && code >= 400 ? code : 500);
  const message = redact(raw ?? `Gemini answered HTTP ${status}`, apiKey);

  if (statusName === 'RESOURCE_EXHAUSTED') return upstreamStatusError(PROVIDER, 429, message);
  // Google answers a bad key with 400: it is Switchboard's credential, not the client's request.
  if (hasReason(error, 'API_KEY_INVALID')) return upstreamStatusError(PROVIDER, 401, message);
  if (status === 400 && isContextTooLong(raw)) {
    return new GatewayError('context_length_exceeded', message, { provider: PROVIDER });
  }
  return upstreamStatusError(PROVIDER, status, message);
}

function hasReason(error: Record<string, unknown> | undefined, reason: string): boolean {
  const details = error?.['details'];
  return Array.isArray(details) && details.some((d) => isRecord(d) && d['reason'] === reason);
}

function isContextTooLong(message: string | undefined): boolean {
  return message !== undefined && /exceeds the maximum number of tokens/i.test(message);
}

function redact(message: string, apiKey: string | undefined): string {
  let out = message.replace(GOOGLE_KEY, '[redacted]');
  if (apiKey !== undefined && apiKey.length >= 8) out = out.split(apiKey).join('[redacted]');
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}
