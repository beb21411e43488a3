/** Kolbo's /api/api-keys and Orbit's /api/v1/settings/api-keys through the real server (SPEC §10). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHs256 } from '../helpers/jwt.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

const SECRET = 'seed-key-apis-test-secret-for-hs256-0000';
const DAY_MS = 86_400_000;
let server: TestServer;
let account: string;
let keysKey: string;

const bearer = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
async function call(path: string, key: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: bearer(key),
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> & { data: Record<string, unknown> } };
}
const jwtFor = (sub: string) => signHs256({ sub, exp: Math.floor(Date.now() / 1000) + 300 }, SECRET);

beforeAll(async () => {
  server = await startTestServer(mockConfig({ auth: { admin_keys: [TEST_ADMIN_KEY], schemes: ['api-key', { type: 'jwt', secret: SECRET }] } }));
  account = (await call('/api/admin/accounts', TEST_ADMIN_KEY, { body: { name: 'kolbo-team' } })).body['id'] as string;
  const created = await call('/api/keys', TEST_ADMIN_KEY, { body: { name: 'manager', account, scopes: ['keys', 'chat', 'read'] } });
  keysKey = created.body['key'] as string;
});

afterAll(async () => server?.close());

describe('Kolbo /api/api-keys', () => {
  it('creates a key in Kolbo shape (read/write → read/chat, 365 days by default), usable at once', async () => {
    const before = Date.now();
    const res = await call('/api/api-keys', keysKey, { body: { name: 'kolbo', permissions: ['read', 'write'] } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ status: true, fullKey: expect.stringMatching(/^bkb_[0-9a-f]{48}$/), message: expect.any(String) });
    expect(res.body.data).toMatchObject({ id: expect.any(String), keyPrefix: expect.stringMatching(/^bkb_/), name: 'kolbo', permissions: ['read', 'write'] });
    expect(Object.keys(res.body.data)).toEqual(expect.arrayContaining(['id', 'keyPrefix', 'name', 'permissions', 'createdAt', 'expiresAt']));
    const expires = Date.parse(res.body.data['expiresAt'] as string);
    expect(expires - before).toBeGreaterThanOrEqual(365 * DAY_MS - 1000);
    expect(expires - before).toBeLessThanOrEqual(365 * DAY_MS + 60_000);
    const fullKey = res.body['fullKey'] as string;
    const seed = await call(`/api/keys/${res.body.data['id'] as string}`, keysKey);
    expect(seed.body).toMatchObject({ scopes: ['read', 'chat'], account });
    expect((await call('/v1/models', fullKey)).status).toBe(200);
  });

  it('maps read-only to scope read, validates expiresInDays, rejects unknown fields and admin', async () => {
    const readOnly = await call('/api/api-keys', keysKey, { body: { name: 'ro', permissions: ['read'], expiresInDays: 1 } });
    expect(readOnly.status).toBe(201);
    expect(readOnly.body.data['permissions']).toEqual(['read']);
    const chat = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: bearer(readOnly.body['fullKey'] as string),
      body: JSON.stringify({ model: 'mock-fast', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(403);
    for (const expiresInDays of [0, 731, 1.5, '30']) {
      const bad = await call('/api/api-keys', keysKey, { body: { name: 'x', expiresInDays } });
      expect(bad.status, String(expiresInDays)).toBe(400);
      expect(bad.body['error']).toMatch(/expiresInDays/);
    }
    expect((await call('/api/api-keys', keysKey, { body: { name: 'x', permissions: ['admin'] } })).status).toBe(400);
    expect((await call('/api/api-keys', keysKey, { body: { name: 'x', scopes: ['admin'] } })).status).toBe(400);
    expect((await call('/api/api-keys', TEST_ADMIN_KEY, { body: { name: 'x', account: 'default' } })).status).toBe(400);
  });

  it('lists, gets with usage, and deletes; never shows a full key', async () => {
    const created = await call('/api/api-keys', keysKey, { body: { name: 'listed' } });
    const id = created.body.data['id'] as string;
    const list = await call('/api/api-keys', keysKey);
    expect(list.status).toBe(200);
    expect(list.body['status']).toBe(true);
    const listed = list.body['data'] as unknown as { id: string }[];
    expect(listed.map((k) => k.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain(created.body['fullKey'] as string);
    const one = await call(`/api/api-keys/${id}`, keysKey);
    expect(one.body).toMatchObject({ status: true, data: { id, name: 'listed', usage: { cost: 0 } } });
    const deleted = await call(`/api/api-keys/${id}`, keysKey, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.body['status']).toBe(true);
    expect((await call(`/api/api-keys/${id}`, keysKey)).status).toBe(404);
    expect((await call('/v1/models', created.body['fullKey'] as string)).status).toBe(401);
  });

  it('accepts a JWT session of the account without the keys scope, and refuses a key without it', async () => {
    const res = await call('/api/api-keys', jwtFor(account), { body: { name: 'from the dashboard', permissions: ['write'] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const seed = await call(`/api/keys/${res.body.data['id'] as string}`, keysKey);
    expect(seed.body).toMatchObject({ account, scopes: ['chat'] });
    const listed = await call('/api/api-keys', jwtFor(account));
    expect((listed.body['data'] as unknown as { id: string }[]).map((k) => k.id)).toContain(res.body.data['id']);
    // Another account's key is a 404 for the session.
    const other = await call('/api/api-keys', TEST_ADMIN_KEY, { body: { name: 'operator' } });
    expect((await call(`/api/api-keys/${other.body.data['id'] as string}`, jwtFor(account))).status).toBe(404);
    const plain = (await call('/api/keys', TEST_ADMIN_KEY, { body: { name: 'plain', account } })).body['key'] as string;
    expect((await call('/api/api-keys', plain)).status).toBe(403);
  });
});

describe('Orbit /api/v1/settings/api-keys', () => {
  it('creates a secret key in Orbit shape with no-store, and lists and deletes it', async () => {
    const res = await call('/api/v1/settings/api-keys', keysKey, {
      body: { name: 'orbit', type: 'secret', scopes: ['chat'], mode: 'test', expiresIn: '30d', allowed_ips: ['127.0.0.1'] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.data).toMatchObject({
      name: 'orbit',
      type: 'secret',
      scopes: ['chat'],
      mode: 'test',
      allowed_ips: ['127.0.0.1'],
      allowed_origins: null,
      prefix: expect.stringMatching(/^bkb_/),
      key: expect.stringMatching(/^bkb_[0-9a-f]{48}$/),
    });
    const expires = Date.parse(res.body.data['expires_at'] as string) - Date.now();
    expect(Math.round(expires / DAY_MS)).toBe(30);
    const id = res.body.data['id'] as string;
    const list = await call('/api/v1/settings/api-keys', keysKey);
    expect((list.body['data'] as unknown as { id: string }[]).map((k) => k.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain(res.body.data['key'] as string);
    expect((await call(`/api/v1/settings/api-keys/${id}`, keysKey, { method: 'DELETE' })).status).toBe(200);
    expect((await call('/v1/models', res.body.data['key'] as string)).status).toBe(401);
  });

  it('maps expiresIn never|90d|1y and rejects bad input in the OpenAI envelope', async () => {
    const never = await call('/api/v1/settings/api-keys', keysKey, { body: { name: 'n', expiresIn: 'never' } });
    expect(never.body.data['expires_at']).toBeNull();
    const year = await call('/api/v1/settings/api-keys', keysKey, { body: { name: 'y', expiresIn: '1y' } });
    expect(Math.round((Date.parse(year.body.data['expires_at'] as string) - Date.now()) / DAY_MS)).toBe(365);
    for (const body of [
      {},
      { name: 'x', expiresIn: '7d' },
      { name: 'x', expiresIn: 'constructor' },
      { name: 'x', type: 'shared' },
      { name: 'x', scopes: ['admin'] },
    ]) {
      const res = await call('/api/v1/settings/api-keys', keysKey, { body });
      expect([400, 403], JSON.stringify(body)).toContain(res.status);
      expect(res.body['error']).toMatchObject({ message: expect.any(String) });
    }
  });
});
