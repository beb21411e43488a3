import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import type { Authenticator, PluginContext, Principal } from '../../../src/plugins/types.js';
import { rsaKeyPair, signHs256, signRs256, unsigned } from '../../../test/helpers/jwt.js';
import jwt from './index.js';
import type { JwtOptions } from './options.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const NOW_S = NOW / 1000;
const SECRET = 'an-hs256-shared-secret-of-32-bytes+';
const { privateKey, publicKeyPem } = rsaKeyPair();

function ctx(vault: Record<string, string> = {}): PluginContext {
  return {
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    clock: () => NOW,
    random: Math.random,
    http: { send: () => Promise.reject(new Error('no http')), close: async () => {} },
    secrets: { resolve: (ref) => (ref?.startsWith('vault:') ? vault[ref.slice(6)] : ref) },
    keyring: { verify: () => Promise.reject(new Error('not used')) },
  };
}

function scheme(options: Partial<JwtOptions>, context = ctx()): Authenticator {
  return jwt.create(options as JwtOptions, context) as Authenticator;
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, ip: '127.0.0.1' });
const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'acct-1', exp: NOW_S + 600, ...extra });

async function rejection(auth: Authenticator, token: string): Promise<GatewayError> {
  try {
    await auth.authenticate(bearer(token));
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe('jwt auth scheme: HS256', () => {
  const auth = scheme({ secret: SECRET });

  it('maps a valid token to a principal with default scopes', async () => {
    const p = (await auth.authenticate(bearer(signHs256(claims(), SECRET)))) as Principal;
    expect(p).toEqual({ accountId: 'acct-1', keyId: null, scopes: ['chat', 'read'], mode: 'live', rateLimitRpm: null, scheme: 'jwt' });
  });

  it('takes scopes from a space-separated string or an array, intersected with allowed scopes', async () => {
    const fromString = (await auth.authenticate(bearer(signHs256(claims({ scope: 'read keys admin bogus' }), SECRET)))) as Principal;
    // `keys` is not allowed by default (a token could mint long-lived API keys).
    expect(fromString.scopes).toEqual(['read']);
    const fromArray = (await auth.authenticate(bearer(signHs256(claims({ scope: ['chat'] }), SECRET)))) as Principal;
    expect(fromArray.scopes).toEqual(['chat']);
    const custom = scheme({ secret: SECRET, scopes_claim: 'perms', account_claim: 'org', allowed_scopes: ['chat'] });
    const p = (await custom.authenticate(bearer(signHs256(claims({ org: 'team-9', perms: ['chat', 'keys'] }), SECRET)))) as Principal;
    expect(p).toMatchObject({ accountId: 'team-9', scopes: ['chat'] });
  });

  it('grants admin only when the claim says so and allow_admin is true', async () => {
    const token = signHs256(claims({ scope: 'admin chat' }), SECRET);
    expect(((await auth.authenticate(bearer(token))) as Principal).scopes).toEqual(['chat']);
    const admin = scheme({ secret: SECRET, allow_admin: true });
    expect(((await admin.authenticate(bearer(token))) as Principal).scopes).toEqual(['admin', 'chat']);
    expect(((await admin.authenticate(bearer(signHs256(claims(), SECRET)))) as Principal).scopes).toEqual(['chat', 'read']);
  });

  it('refuses expired tokens (beyond the clock skew) and accepts within it', async () => {
    expect((await rejection(auth, signHs256(claims({ exp: NOW_S - 31 }), SECRET))).message).toBe('JWT expired');
    expect(await auth.authenticate(bearer(signHs256(claims({ exp: NOW_S - 10 }), SECRET)))).not.toBeNull();
    const strict = scheme({ secret: SECRET, clock_skew_s: 0 });
    expect((await rejection(strict, signHs256(claims({ exp: NOW_S }), SECRET))).message).toBe('JWT expired');
  });

  it('refuses tokens before nbf and tokens without exp (unless require_exp is off)', async () => {
    expect((await rejection(auth, signHs256(claims({ nbf: NOW_S + 120 }), SECRET))).message).toBe('JWT is not valid yet');
    expect(await auth.authenticate(bearer(signHs256(claims({ nbf: NOW_S + 20 }), SECRET)))).not.toBeNull();
    expect((await rejection(auth, signHs256({ sub: 'acct-1' }, SECRET))).message).toBe('JWT has no exp claim');
    expect(await scheme({ secret: SECRET, require_exp: false }).authenticate(bearer(signHs256({ sub: 'acct-1' }, SECRET)))).not.toBeNull();
    expect((await rejection(auth, signHs256(claims({ exp: '2030' }), SECRET))).message).toBe('JWT exp claim is malformed');
  });

  it('refuses a bad signature, a truncated signature and a token signed with another secret', async () => {
    const token = signHs256(claims(), SECRET);
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await rejection(auth, tampered)).message).toBe('JWT signature is invalid');
    expect((await rejection(auth, token.slice(0, -5))).message).toBe('JWT signature is invalid');
    expect((await rejection(auth, signHs256(claims(), SECRET + 'x'))).message).toBe('JWT signature is invalid');
    const [h, , s] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify(claims({ sub: 'acct-2' }))).toString('base64url');
    expect((await rejection(auth, `${h}.${otherPayload}.${s}`)).message).toBe('JWT signature is invalid');
  });

  it('refuses alg "none" (with and without a signature) and algorithms not configured', async () => {
    for (const alg of ['none', 'None', 'NONE']) expect((await rejection(auth, unsigned(claims(), alg))).message).toBe('JWT algorithm is not allowed');
    expect((await rejection(auth, unsigned(claims()) + 'c2ln')).message).toBe('JWT algorithm is not allowed');
    expect((await rejection(auth, signRs256(claims(), privateKey))).message).toBe('JWT algorithm is not allowed');
    expect((await rejection(auth, signHs256(claims(), SECRET, { alg: 'HS512' }))).message).toBe('JWT algorithm is not allowed');
    expect((await rejection(auth, signHs256(claims(), SECRET, { crit: ['exp'] }))).message).toMatch(/critical/);
  });

  it('checks issuer and audience', async () => {
    const bound = scheme({ secret: SECRET, issuer: 'https://idp.example', audience: 'switchboard' });
    expect(await bound.authenticate(bearer(signHs256(claims({ iss: 'https://idp.example', aud: 'switchboard' }), SECRET)))).not.toBeNull();
    expect(await bound.authenticate(bearer(signHs256(claims({ iss: 'https://idp.example', aud: ['other', 'switchboard'] }), SECRET)))).not.toBeNull();
    // Another issuer's token is not this instance's (null): the next scheme may take it, else 401.
    expect(await bound.authenticate(bearer(signHs256(claims({ iss: 'https://evil.example', aud: 'switchboard' }), SECRET)))).toBeNull();
    expect(await bound.authenticate(bearer(signHs256(claims({ aud: 'switchboard' }), SECRET)))).toBeNull();
    // ...but claiming the configured issuer does not help a forged token.
    expect(
      (await rejection(bound, signHs256(claims({ iss: 'https://idp.example', aud: 'switchboard' }), 'another-secret-that-is-32-bytes-long!'))).message,
    ).toBe('JWT signature is invalid');
    expect((await rejection(bound, unsigned(claims({ iss: 'https://idp.example', aud: 'switchboard' })))).message).toBe('JWT algorithm is not allowed');
    expect((await rejection(bound, signHs256(claims({ iss: 'https://idp.example', aud: 'other' }), SECRET))).message).toBe('JWT audience is not accepted');
    expect((await rejection(bound, signHs256(claims({ iss: 'https://idp.example' }), SECRET))).message).toBe('JWT audience is not accepted');
  });

  it('needs a usable account claim', async () => {
    expect((await rejection(auth, signHs256({ exp: NOW_S + 60 }, SECRET))).message).toBe('JWT has no usable sub claim');
    expect((await rejection(auth, signHs256(claims({ sub: 42 }), SECRET))).message).toBe('JWT has no usable sub claim');
    expect((await rejection(auth, signHs256(claims({ sub: 'a\u0000b' }), SECRET))).message).toBe('JWT has no usable sub claim');
  });

  it('returns null for anything that is not a JWT-shaped bearer token', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer bkb_' + 'a'.repeat(48) },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { 'x-api-key': signHs256(claims(), SECRET) },
      { authorization: 'Bearer a.b' },
    ]) {
      expect(await auth.authenticate({ headers, ip: '127.0.0.1' })).toBeNull();
    }
  });

  it('rejects JWT-shaped junk with a 401 and never echoes the token', async () => {
    for (const token of ['a.b.c', 'eyJhbGciOiJIUzI1NiJ9.e30.', 'x'.repeat(9000) + '.a.b']) {
      const err = await rejection(auth, token);
      expect(err.code).toBe('auth_invalid');
      expect(err.message).not.toContain(token.slice(0, 20));
    }
  });

  it('reads a vault:<name> secret on every request and answers 503 while it is missing', async () => {
    const vault: Record<string, string> = {};
    const fromVault = scheme({ secret: 'vault:jwt' }, ctx(vault));
    const token = signHs256(claims(), SECRET);
    const missing = await rejection(fromVault, token);
    expect(missing.code).toBe('service_unavailable');
    expect(missing.message).not.toContain(SECRET);
    vault['jwt'] = SECRET;
    expect(await fromVault.authenticate(bearer(token))).not.toBeNull();
    vault['jwt'] = SECRET + '-rotated';
    expect((await rejection(fromVault, token)).message).toBe('JWT signature is invalid');
  });

  it('rejects unusable options when created', () => {
    expect(() => scheme({})).toThrow(/secret is required/);
    expect(() => scheme({ secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => scheme({ secret: publicKeyPem })).toThrow(/PEM/);
    expect(() => scheme({ algorithms: ['RS256'] })).toThrow(/public_key is required/);
    expect(() => scheme({ algorithms: ['RS256'], public_key: 'not a key' })).toThrow(/not a PEM/);
    expect(() => scheme({ secret: SECRET, default_scopes: ['admin'] })).toThrow(/admin/);
  });
});

describe('jwt auth scheme: RS256', () => {
  const auth = scheme({ algorithms: ['RS256'], public_key: publicKeyPem });

  it('verifies a token signed with the private key', async () => {
    const p = (await auth.authenticate(bearer(signRs256(claims({ scope: 'chat' }), privateKey)))) as Principal;
    expect(p).toMatchObject({ accountId: 'acct-1', scopes: ['chat'], scheme: 'jwt' });
  });

  it('refuses a token signed by another key pair', async () => {
    const other = rsaKeyPair();
    expect((await rejection(auth, signRs256(claims(), other.privateKey))).message).toBe('JWT signature is invalid');
  });

  it('refuses HS256 tokens keyed with the RSA public key (algorithm confusion)', async () => {
    const forged = signHs256(claims({ scope: 'admin' }), publicKeyPem, { alg: 'HS256' });
    expect((await rejection(auth, forged)).message).toBe('JWT algorithm is not allowed');
    // Even with both algorithms enabled, HS256 is checked with the shared secret only.
    const both = scheme({ algorithms: ['HS256', 'RS256'], public_key: publicKeyPem, secret: SECRET });
    expect((await rejection(both, forged)).message).toBe('JWT signature is invalid');
    expect(await both.authenticate(bearer(signRs256(claims(), privateKey)))).not.toBeNull();
    expect(await both.authenticate(bearer(signHs256(claims(), SECRET)))).not.toBeNull();
  });

  it('refuses alg none and expired RS256 tokens', async () => {
    expect((await rejection(auth, unsigned(claims()))).message).toBe('JWT algorithm is not allowed');
    expect((await rejection(auth, signRs256(claims({ exp: NOW_S - 3600 }), privateKey))).message).toBe('JWT expired');
  });
});
