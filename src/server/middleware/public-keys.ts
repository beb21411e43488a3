/**
 * Public (browser-safe) keys at request time, SPEC §10: a public key is admitted only on the
 * completion routes and /api/chat, only with an Origin header naming one of its origins (a
 * request without Origin is not from a browser page, so it is refused too), and its responses
 * carry the CORS headers for that origin. Preflights (OPTIONS, no key) are answered for any
 * origin an active public key allows.
 */
import type { RequestHandler, Response } from 'express';
import { GatewayError } from '../../errors.js';
import type { KeyStore } from '../../keys/key-store.js';
import { originAllowed } from '../../keys/origin-allow.js';
import { PUBLIC_KEY_PATHS } from '../../keys/public-keys.js';
import type { Principal } from '../../plugins/types.js';

/** Headers a page may read from a response (rate limits, the model that answered, ids). */
const EXPOSED = [
  'X-Request-Id',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
  'X-Switchboard-Model',
  'X-Switchboard-Category',
  'X-Switchboard-Attempts',
  'X-Switchboard-Conversation-Id',
].join(', ');
const DEFAULT_ALLOWED_HEADERS = 'authorization, content-type, x-api-key, anthropic-version';
const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const PREFLIGHT_MAX_AGE_S = '600';

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function allowOrigin(res: Response, origin: string): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
}

/** After authentication: throws 403 unless a public key is used where and whence it may be. */
export function admitPublicKey(principal: Principal, path: string, headers: Readonly<Record<string, string | string[] | undefined>>, res: Response): void {
  const allowed = principal.publicKey?.allowedOrigins;
  if (allowed === undefined) return;
  const origin = single(headers['origin']);
  if (origin === undefined || origin === '') {
    throw new GatewayError('forbidden', 'A public key can only be used from a web page: the request has no Origin header');
  }
  if (!originAllowed(allowed, origin)) throw new GatewayError('forbidden', 'This origin is not allowed for this public key');
  allowOrigin(res, origin.toLowerCase());
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  if (!PUBLIC_KEY_PATHS.has(path)) throw new GatewayError('forbidden', 'A public key can only call the completion routes and /api/chat');
}

/** OPTIONS on the public-key routes: the CORS preflight of a browser page. */
export function corsPreflight(keyStore: KeyStore): RequestHandler {
  return async (req, res) => {
    const origin = single(req.headers['origin']);
    const method = single(req.headers['access-control-request-method']);
    res.setHeader('Allow', 'POST, OPTIONS');
    if (origin === undefined || method === undefined) {
      res.status(204).end();
      return;
    }
    if (!originAllowed(await keyStore.allowedPublicOrigins(), origin)) {
      res.setHeader('Vary', 'Origin');
      throw new GatewayError('forbidden', 'This origin is not allowed for any public key');
    }
    allowOrigin(res, origin.toLowerCase());
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    // Echo what the page asks for, as long as each entry is a plain header name.
    const requested = (single(req.headers['access-control-request-headers']) ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== '' && h.length <= 64 && HEADER_TOKEN.test(h));
    res.setHeader('Access-Control-Allow-Headers', requested.length > 0 ? requested.join(', ') : DEFAULT_ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S);
    res.status(204).end();
  };
}
