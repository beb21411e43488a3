/** api-key and jwt schemes enabled together, through the real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rsaKeyPair, signHs256, signRs256, unsigned } from '../helpers/jwt.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { grantCredits, MASTER_KEY } from '../security/support.js';

const SECRET = 'e2e-shared-secret-for-hs256-tokens-000';
const ISSUER = 'https://idp.test';
const now = () => Math.floor(Date.now() / 1000);
const { privateKey, publicKeyPem } = rsaKeyPair();

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(
    mockConfig({
      rate_limits: { default_rpm: 100000 },
      auth: {
        admin_keys: [TEST_ADMIN_KEY],
        schemes: [
          'api-key',
          // These tokens name the operator's (unmetered) account.
          { type: 'jwt', secret: '${JWT_SECRET}', issuer: ISSUER, allow_admin: true, allow_unmetered: true },
          { type: 'jwt', secret: 'vault:jwt-hs', issuer: 'https://vault-idp.test', allow_unmetered: true },
          { type: 'jwt', algorithms: ['RS256'], public_key: publicKeyPem, audience: 'switchboard', allow_unmetered: true },
        ],
      },
    }),
    { JWT_SECRET: SECRET, SWITCHBOARD_MASTER_KEY: MASTER_KEY },
  );
  await grantCredits(server.url);
});

afterAll(async () => server?.close());

const chat = (auth: string, path = '/v1/chat/completions') =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-fast', max_tokens: 16, messages: [{ role: 'user', content: 'hello there' }] }),
  });

const hs = (extra: Record<string, unknown> = {}) => signHs256({ sub: 'default', iss: ISSUER, exp: now() + 300, ...extra }, SECRET);

describe('api-key and jwt side by side', () => {
  it('accepts an API key and an HS256 token on the same route', async () => {
    expect((await chat(`Bearer ${TEST_ADMIN_KEY}`)).status).toBe(200);
    const res = await chat(`Bearer ${hs()}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { model: string }).model).toBe('mock-fast');
  });

  it('accepts an RS256 token (the instances with an issuer pass it on) and applies its audience', async () => {
    const ok = signRs256({ sub: 'default', aud: 'switchboard', exp: now() + 300 }, privateKey);
    expect((await chat(`Bearer ${ok}`)).status).toBe(200);
    const wrongAud = signRs256({ sub: 'default', aud: 'elsewhere', exp: now() + 300 }, privateKey);
    expect((await chat(`Bearer ${wrongAud}`)).status).toBe(401);
  });

  it('renders JWT failures in the envelope of the route', async () => {
    const expired = hs({ exp: now() - 3600 });
    const openai = await chat(`Bearer ${expired}`);
    expect(openai.status).toBe(401);
    expect(((await openai.json()) as { error: { message: string; type: string } }).error).toMatchObject({
      message: 'JWT expired',
      type: 'authentication_error',
    });
    const anthropic = await chat(`Bearer ${expired}`, '/v1/messages');
    expect(anthropic.status).toBe(401);
    expect(await anthropic.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'JWT expired' } });
    const seed = await fetch(`${server.url}/api/admin/vault`, { headers: { authorization: `Bearer ${unsigned({ sub: 'default', scope: 'admin' })}` } });
    expect(seed.status).toBe(401);
    expect(await seed.json()).toEqual({ error: 'JWT algorithm is not allowed' });
  });

  it('scopes come from the token: no admin without the claim; admin with it (allow_admin on)', async () => {
    const plain = await fetch(`${server.url}/api/admin/vault`, { headers: { authorization: `Bearer ${hs()}` } });
    expect(plain.status).toBe(403);
    const adminToken = await fetch(`${server.url}/api/admin/vault`, { headers: { authorization: `Bearer ${hs({ scope: 'admin' })}` } });
    expect(adminToken.status).toBe(200);
    const readOnly = await chat(`Bearer ${hs({ scope: 'read' })}`);
    expect(readOnly.status).toBe(403);
  });

  it('junk and forged tokens are 401; an API key in X-Api-Key still works', async () => {
    expect((await chat('Bearer a.b.c')).status).toBe(401);
    expect((await chat(`Bearer ${signHs256({ sub: 'default', iss: ISSUER, exp: now() + 300, scope: 'admin' }, publicKeyPem)}`)).status).toBe(401);
    expect((await chat('Bearer bkb_' + '0'.repeat(48))).status).toBe(401);
    const viaHeader = await fetch(`${server.url}/v1/models`, { headers: { 'x-api-key': TEST_ADMIN_KEY } });
    expect(viaHeader.status).toBe(200);
  });

  it('each identity provider is its own instance, picked by issuer; a vault secret applies once stored', async () => {
    const vaultSecret = SECRET + '-vault';
    const token = signHs256({ sub: 'default', iss: 'https://vault-idp.test', exp: now() + 300 }, vaultSecret);
    expect((await chat(`Bearer ${token}`)).status).toBe(503);
    const stored = await fetch(`${server.url}/api/admin/vault/jwt-hs`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value: vaultSecret }),
    });
    expect(stored.status).toBe(201);
    expect((await chat(`Bearer ${token}`)).status).toBe(200);
    // Signed with the other provider's secret: the vault instance verifies it and refuses it.
    expect((await chat(`Bearer ${signHs256({ sub: 'default', iss: 'https://vault-idp.test', exp: now() + 300 }, SECRET)}`)).status).toBe(401);
    // An issuer nobody configured falls through every scheme: 401.
    expect((await chat(`Bearer ${signHs256({ sub: 'default', iss: 'https://unknown.test', exp: now() + 300 }, SECRET)}`)).status).toBe(401);
  });
});

describe('jwt alone', () => {
  it('without the jwt scheme a JWT is simply an invalid API key', async () => {
    const only = await startTestServer(mockConfig());
    try {
      const res = await fetch(`${only.url}/api/admin/vault`, { headers: { authorization: `Bearer ${hs({ scope: 'admin' })}` } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'Invalid or missing API key' });
    } finally {
      await only.close();
    }
  });

  it('a jwt scheme with a vault secret verifies once the secret is stored', async () => {
    const s = await startTestServer(
      mockConfig({
        rate_limits: { default_rpm: 100000 },
        auth: { admin_keys: [TEST_ADMIN_KEY], schemes: ['api-key', { type: 'jwt', secret: 'vault:jwt-hs', allow_unmetered: true }] },
      }),
      { SWITCHBOARD_MASTER_KEY: MASTER_KEY },
    );
    try {
      await grantCredits(s.url);
      const token = signHs256({ sub: 'default', exp: now() + 300 }, SECRET);
      const call = () => fetch(`${s.url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
      const before = await call();
      expect(before.status).toBe(503);
      expect(JSON.stringify(await before.json())).not.toContain(SECRET);
      const stored = await fetch(`${s.url}/api/admin/vault/jwt-hs`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value: SECRET }),
      });
      expect(stored.status).toBe(201);
      expect((await call()).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
