/**
 * The rules of public (browser-safe) keys, SPEC §10: they carry only the `chat` scope, always
 * name the origins they may be used from, and may call only the completion routes and /api/chat.
 */
import { GatewayError } from '../errors.js';
import type { Scope } from '../plugins/types.js';
import type { KeyType } from './key-record.js';

export const PUBLIC_KEY_SCOPES: readonly Scope[] = ['chat'];

/** Paths a public key may call (POST; their CORS preflights are answered too). */
export const PUBLIC_KEY_PATHS: ReadonlySet<string> = new Set([
  '/v1/chat/completions',
  '/api/v1/chat/completions',
  '/v1/messages',
  '/v1/responses',
  '/api/v1/responses',
  '/api/chat',
]);

const invalid = (message: string) => new GatewayError('request_invalid', message);

/** Throws 400 when a key of `type` would carry fields it may not have. */
export function assertKeyTypeFields(type: KeyType, scopes: readonly Scope[], allowedOrigins: readonly string[] | null | undefined): void {
  if (type === 'secret') {
    if (allowedOrigins != null && allowedOrigins.length > 0) throw invalid('allowed_origins: only public keys (type "public") have allowed origins');
    return;
  }
  const beyond = scopes.find((s) => !PUBLIC_KEY_SCOPES.includes(s));
  if (beyond !== undefined) throw invalid(`scopes: a public key can only have the "chat" scope, not "${beyond}"`);
  if (!allowedOrigins || allowedOrigins.length === 0) {
    throw invalid('allowed_origins: required for a public key (the browser origins it may be used from, e.g. ["https://app.example.com"])');
  }
}
