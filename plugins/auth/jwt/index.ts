/**
 * `jwt`: HS256 / RS256 bearer tokens from an identity provider, mapped to a Switchboard account
 * (a claim names the account id) and scopes. A bearer value that is not JWT-shaped is "not mine"
 * (null), so the api-key scheme can take it; a JWT-shaped value that fails is a 401. An
 * instance with `issuer` set also passes on tokens of other issuers, so several identity
 * providers can be configured as several instances.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { GatewayError } from '../../../src/errors.js';
import { INVALID_KEY } from '../../../src/keys/keyring.js';
import type { AuthPlugin, AuthRequest, PluginContext, Principal, Scope } from '../../../src/plugins/types.js';
import { jwtOptionsSchema, withDefaults, type JwtOptions } from './options.js';
import { JWT_SHAPE, JwtError, JwtKeyUnavailableError, MAX_JWT_LENGTH, peekIssuer, verifyJwt, type JwtClaims, type JwtKeys } from './verify.js';

const MIN_SECRET_BYTES = 32;
const MIN_RSA_BITS = 2048;
const ACCOUNT_ID = /^[^\u0000-\u001f\u007f]{1,128}$/;

/** The bearer token when it looks like a JWT; undefined otherwise. */
export function bearerJwt(req: AuthRequest): string | undefined {
  const header = req.headers['authorization'];
  const auth = Array.isArray(header) ? header[0] : header;
  if (auth === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth);
  const token = match?.[1];
  return token !== undefined && JWT_SHAPE.test(token) ? token : undefined;
}

function hmacSecret(secret: string | undefined, ctx: PluginContext): (() => Buffer | undefined) | undefined {
  if (secret === undefined) return undefined;
  const usable = (value: string | undefined) =>
    value !== undefined && Buffer.byteLength(value, 'utf8') >= MIN_SECRET_BYTES ? Buffer.from(value, 'utf8') : undefined;
  if (secret.startsWith('vault:')) {
    return () => {
      try {
        return usable(ctx.secrets.resolve(secret));
      } catch {
        return undefined; // a missing vault entry: the scheme answers 503 below
      }
    };
  }
  if (/-----BEGIN /.test(secret)) throw new Error('secret looks like a PEM key; RSA keys go in public_key with algorithms ["RS256"]');
  const fixed = usable(secret);
  if (!fixed) throw new Error(`secret must be at least ${MIN_SECRET_BYTES} bytes for HS256`);
  return () => fixed;
}

function rsaKey(pem: string | undefined): KeyObject | undefined {
  if (pem === undefined) return undefined;
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error('public_key is not a PEM public key or certificate');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`public_key must be an RSA key (got ${key.asymmetricKeyType ?? 'unknown'})`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) throw new Error(`public_key must be at least ${MIN_RSA_BITS} bits`);
  return key;
}

function scopesOf(claims: JwtClaims, o: JwtOptions): Scope[] {
  const raw = claims[o.scopes_claim];
  if (raw === undefined) return o.default_scopes.filter((s) => s !== 'admin' && o.allowed_scopes.includes(s));
  let granted: unknown[];
  if (typeof raw === 'string') granted = raw.split(/\s+/).filter(Boolean);
  else if (Array.isArray(raw)) granted = raw;
  else throw new JwtError(`JWT ${o.scopes_claim} claim is malformed`);
  const scopes = new Set<Scope>();
  for (const s of granted) {
    if (typeof s !== 'string') throw new JwtError(`JWT ${o.scopes_claim} claim is malformed`);
    if (s === 'admin' ? o.allow_admin : (o.allowed_scopes as readonly string[]).includes(s)) scopes.add(s as Scope);
  }
  return [...scopes];
}

function accountOf(claims: JwtClaims, o: JwtOptions): string {
  const value = claims[o.account_claim];
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) throw new JwtError(`JWT has no usable ${o.account_claim} claim`);
  return value;
}

const jwt: AuthPlugin<JwtOptions> = {
  apiVersion: 1,
  kind: 'auth',
  name: 'jwt',
  description: 'HS256 / RS256 bearer tokens mapped to an account by a claim, with scopes from a claim.',
  optionsSchema: jwtOptionsSchema,
  create(options, ctx) {
    const o = withDefaults(options);
    if (o.algorithms.includes('HS256') && o.secret === undefined) throw new Error('secret is required when algorithms includes HS256');
    if (o.algorithms.includes('RS256') && o.public_key === undefined) throw new Error('public_key is required when algorithms includes RS256');
    if (o.default_scopes.includes('admin')) throw new Error('default_scopes may not include admin');
    // Each algorithm gets only its own key: HS256 never sees the RSA key and vice versa.
    const keys: JwtKeys = {
      ...(o.algorithms.includes('HS256') ? { hmacSecret: hmacSecret(o.secret, ctx) } : {}),
      ...(o.algorithms.includes('RS256') ? { rsaPublicKey: rsaKey(o.public_key) } : {}),
    };
    const policy = { algorithms: o.algorithms, issuer: o.issuer, audience: o.audience, clockSkewS: o.clock_skew_s, requireExp: o.require_exp };

    /** The token's account must exist, and be metered unless allow_unmetered says otherwise. */
    const admitted = (principal: Principal): Principal | Promise<Principal> => {
      const accounts = ctx.accounts;
      if (!accounts) return principal;
      if (!o.allow_unmetered && accounts.isUnmetered(principal.accountId))
        throw new GatewayError('auth_invalid', 'JWT names an unmetered account, which this scheme does not allow (jwt allow_unmetered)');
      const unknown = () => new GatewayError('auth_invalid', 'JWT names an account that does not exist');
      const exists = accounts.exists(principal.accountId);
      if (exists === true) return principal;
      if (exists === false) throw unknown();
      return exists.then((found) => {
        if (!found) throw unknown();
        return principal;
      });
    };

    return {
      authenticate(req): Principal | Promise<Principal> | null {
        const token = bearerJwt(req);
        if (token === undefined) return null;
        if (token.length > MAX_JWT_LENGTH) throw new GatewayError('auth_invalid', INVALID_KEY);
        // With an issuer set, a token from another issuer is not this instance's: the next
        // scheme (e.g. another jwt instance) may take it; if none does, the answer is a 401.
        if (o.issuer !== undefined && peekIssuer(token) !== o.issuer) return null;
        try {
          const claims = verifyJwt(token, keys, { ...policy, now: ctx.clock() });
          const principal: Principal = {
            accountId: accountOf(claims, o),
            keyId: null,
            scopes: scopesOf(claims, o),
            mode: 'live',
            rateLimitRpm: null,
            scheme: 'jwt',
          };
          return admitted(principal);
        } catch (err) {
          if (err instanceof JwtError) throw new GatewayError('auth_invalid', err.message);
          if (err instanceof JwtKeyUnavailableError) {
            ctx.logger.error({ event: 'jwt_key_unavailable', reason: err.message }, 'jwt auth cannot verify tokens');
            throw new GatewayError('service_unavailable', 'JWT authentication is not available: its verification key is not configured');
          }
          throw err;
        }
      },
    };
  },
};

export default jwt;
