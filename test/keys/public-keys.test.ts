/** Public (browser-safe) keys through the real server: routes, Origin checks, CORS preflights, rpm (SPEC §10). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

const SITE = 'https://app.example.com';
let server: TestServer;
let publicKey: string;
let publicKeyId: string;

async function createPublic(body: Record<string, unknown>) {
  const res = await fetch(`${server.url}/api/v1/settings/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'widget', type: 'public', ...body }),
  });
  return { status: res.status, body: (await res.json()) as { data: { id: string; key: string; scopes: string[]; prefix: string; allowed_origins: string[] } } };
}

function chat(key: string, origin: string | undefined, path = '/v1/chat/completions') {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(origin === undefined ? {} : { origin }) },
    body: JSON.stringify(
      path === '/api/chat' ? { messages: [{ role: 'user', content: 'hello' }] } : { model: 'mock-fast', messages: [{ role: 'user', content: 'hello' }] },
    ),
  });
}

function preflight(origin: string, path = '/v1/chat/completions', requestHeaders = 'authorization, content-type') {
  return fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
}

beforeAll(async () => {
  server = await startTestServer(mockConfig());
  const created = await createPublic({ allowed_origins: [SITE, 'http://localhost:5173/'] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  publicKey = created.body.data.key;
  publicKeyId = created.body.data.id;
});

afterAll(async () => server?.close());

describe('creating public keys', () => {
  it('gets the pk_ prefix, only the chat scope, and normalized origins', async () => {
    expect(publicKey).toMatch(/^pk_[0-9a-f]{48}$/);
    const res = await createPublic({ allowed_origins: ['HTTPS://Other.Example.com:443'] });
    expect(res.body.data).toMatchObject({ scopes: ['chat'], prefix: expect.stringMatching(/^pk_/), allowed_origins: ['https://other.example.com'] });
  });

  it('can be made and updated through /api/keys too, which shows type and allowed_origins', async () => {
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
    const res = await fetch(`${server.url}/api/keys`, { method: 'POST', headers, body: JSON.stringify({ type: 'public', allowed_origins: [SITE] }) });
    const body = (await res.json()) as { key: string; id: string; type: string; scopes: string[]; allowed_origins: string[] };
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ type: 'public', scopes: ['chat'], allowed_origins: [SITE] });
    expect(body.key).toMatch(/^pk_/);
    const patched = await fetch(`${server.url}/api/keys/${body.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ allowed_origins: ['https://new.example'] }),
    });
    expect(await patched.json()).toMatchObject({ allowed_origins: ['https://new.example'] });
    expect((await chat(body.key, SITE)).status).toBe(403);
    expect((await chat(body.key, 'https://new.example')).status).toBe(200);
    const emptied = await fetch(`${server.url}/api/keys/${body.id}`, { method: 'PATCH', headers, body: JSON.stringify({ allowed_origins: null }) });
    expect(emptied.status).toBe(400);
    const secret = await fetch(`${server.url}/api/keys`, { method: 'POST', headers, body: JSON.stringify({ name: 's' }) });
    expect(await secret.json()).toMatchObject({ type: 'secret', allowed_origins: null });
  });

  it('requires allowed_origins, refuses other scopes, paths and wildcards; a secret key has no origins', async () => {
    for (const body of [
      {},
      { allowed_origins: [] },
      { allowed_origins: [SITE], scopes: ['read'] },
      { allowed_origins: ['https://a.com/path'] },
      { allowed_origins: ['https://*.a.com'] },
    ]) {
      const res = await createPublic(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await createPublic({ type: 'secret', allowed_origins: [SITE] })).status).toBe(400);
  });
});

describe('using a public key', () => {
  it('answers completions from an allowed origin, with CORS headers and the public rpm', async () => {
    const res = await chat(publicKey, SITE);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/X-RateLimit-Remaining/);
    expect(res.headers.get('x-ratelimit-limit')).toBe('10');
    const native = await chat(publicKey, 'http://localhost:5173', '/api/chat');
    expect(native.status).toBe(200);
    expect(await native.text()).toContain('"type":"done"');
    expect((await chat(publicKey, SITE, '/v1/messages')).status).not.toBe(403);
  });

  it('is refused (403) from another origin and without an Origin header', async () => {
    const other = await chat(publicKey, 'https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await chat(publicKey, undefined)).status).toBe(403);
  });

  it('is refused on every route but the completion routes and /api/chat', async () => {
    for (const [method, path] of [
      ['GET', '/v1/models'],
      ['GET', '/api/usage/summary'],
      ['GET', '/api/keys'],
      ['GET', '/api/key'],
      ['POST', '/api/keys'],
      ['GET', '/api/api-keys'],
      ['POST', '/api/route'],
      ['GET', '/v1/responses/resp_123'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${publicKey}`, origin: SITE, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: JSON.stringify({ name: 'x', message: 'x' }) } : {}),
      });
      expect(res.status, path).toBe(403);
    }
  });
});

describe('CORS preflights', () => {
  it('are answered for an allowed origin with the Access-Control-Allow-* headers', async () => {
    for (const path of ['/v1/chat/completions', '/api/chat', '/v1/messages', '/api/v1/chat/completions', '/v1/responses']) {
      const res = await preflight(SITE, path, 'Authorization, Content-Type, X-Stainless-Os');
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
      expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-stainless-os');
      expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      expect(res.headers.get('vary')).toMatch(/Origin/);
    }
  });

  it('get no CORS headers for an unknown origin, and never echo a malformed header name', async () => {
    const res = await preflight('https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const odd = await preflight(SITE, '/v1/chat/completions', 'content-type, bad header, x\u00e9');
    expect(odd.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('stop for an origin once its only key is revoked', async () => {
    const only = await createPublic({ allowed_origins: ['https://short-lived.example'] });
    expect((await preflight('https://short-lived.example')).status).toBe(204);
    const del = await fetch(`${server.url}/api/keys/${only.body.data.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    expect(del.status).toBe(200);
    expect((await preflight('https://short-lived.example')).status).toBe(403);
    expect((await preflight(SITE)).status).toBe(204);
    expect(publicKeyId).toBeTruthy();
  });
});
