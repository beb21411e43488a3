/**
 * The provider credentials this process has resolved (vault values, YAML literals, ${ENV}
 * values), so any text about to leave the gateway — an error body, a stream error event, a log
 * line — can have them cut out exactly, whatever the provider echoed and however it is shaped.
 * Pattern-based redaction (`sk-…`) misses credentials of other shapes; this does not.
 */
import { GatewayError, isGatewayError } from '../errors.js';

/** Shorter values would cut ordinary words out of messages. */
const MIN_SECRET_LENGTH = 8;
/** Bounded: old values (a rotated key) stay redacted until the set is full. */
const MAX_SECRETS = 1000;
export const REDACTED = '[redacted]';

export class KnownSecrets {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH || this.values.has(value)) return;
    if (this.values.size >= MAX_SECRETS) this.values.delete(this.values.values().next().value!);
    this.values.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  }
}

/** The same error with `redact` applied to its message (a new error, so the stack is clean too). */
export function redactError<E>(err: E, redact: (text: string) => string): E | GatewayError {
  if (!isGatewayError(err)) return err;
  const message = redact(err.message);
  if (message === err.message) return err;
  return new GatewayError(err.code, message, {
    status: err.status,
    retryable: err.retryable,
    ...(err.provider ? { provider: err.provider } : {}),
    headers: err.headers,
  });
}
