/** /api/keys and /api/key through the real server: format, rules, isolation, bad input. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/keys/api-key.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';

const MAX_KEYS = 4;
// High enough that this file's own traffic never meets the rate limiter.
const DEFAULT_RPM = 100_000;
let server: TestServer;
const createdKeys: string[] = [];

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function newAccount(name: string): Promise<string> {
  const res = await request(server.url).post('/api/admin/accounts').set(auth(server.adminKey)).send({ name });
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
}

async function createKey(caller: string, body: Record<string, unknown>): Promise<{ key: string; id: string; body: Record<string, unknown> }> {
  const res = await request(server.url).post('/api/keys').set(auth(caller)).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const out = res.body as { key: string; id: string };
  createdKeys.push(out.key);
  return { key: out.key, id: out.id, body: res.body as Record<string, unknown> };
}

beforeAll(async () => {
  server = await startTestServer(
    mockConfig({ auth: { admin_keys: ['bkb_' + 'a'.repeat(48)], max_keys_per_account: MAX_KEYS }, rate_limits: { default_rpm: DEFAULT_RPM } }),
  );
});

afterAll(async () => {
  // Nothing about a key ever reaches a log line.
  const logs = server.logs.join('\n');
  for (const key of createdKeys) {
    expect(logs).not.toContain(key);
    expect(logs).not.toContain(hashApiKey(key));
  }
  await server?.close();
});

describe('POST /api/keys', () => {
  it('returns the full key once, no-store, in the seed format, and stores only its hash', async () => {
    const account = await newAccount('format');
    const res = await request(server.url)
      .post('/api/keys')
      .set(auth(server.adminKey))
      .send({ name: 'ci', account, limit: 5, limit_reset: 'weekly', expires_in_days: 30, allowed_ips: ['127.0.0.1', '::1', '10.0.0.0/8'], rate_limit_rpm: 30 });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body as Record<string, unknown> & { key: string };
    createdKeys.push(body.key);
    expect(body.key).toMatch(/^bkb_[0-9a-f]{48}$/);
    expect(body).toMatchObject({
      name: 'ci',
      account,
      scopes: ['chat', 'read'],
      mode: 'live',
      disabled: false,
      limit: 5,
      usage: 0,
      limit_remaining: 5,
      limit_reset: 'weekly',
      rate_limit_rpm: 30,
      last_used_at: null,
    });
    expect(body['prefix']).toMatch(/^bkb_[0-9a-f]{4}\.\.\.[0-9a-f]{4}$/);
    expect(Date.parse(body['expires_at'] as string) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const rows = server.gateway.database.sqlite.prepare('SELECT * FROM api_keys').all();
    expect(JSON.stringify(rows)).not.toContain(body.key);

    const list = await request(server.url).get('/api/keys').query({ account }).set(auth(server.adminKey));
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(body.key);
    const item = (list.body as { keys: Record<string, unknown>[] }).keys[0]!;
    for (const field of [
      'id',
      'name',
      'prefix',
      'created_at',
      'last_used_at',
      'disabled',
      'scopes',
      'mode',
      'limit',
      'usage',
      'limit_remaining',
      'limit_reset',
      'expires_at',
      'allowed_ips',
    ])
      expect(item).toHaveProperty(field);
  });

  it('pages with offset and limit', async () => {
    const account = await newAccount('paging');
    for (let i = 0; i < 3; i++) await createKey(server.adminKey, { name: `k${i}`, account });
    const page = await request(server.url).get('/api/keys').query({ account, offset: 1, limit: 1 }).set(auth(server.adminKey));
    expect(page.body).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect((page.body as { keys: { name: string }[] }).keys.map((k) => k.name)).toEqual(['k1']);
    expect((await request(server.url).get('/api/keys').query({ limit: 0 }).set(auth(server.adminKey))).status).toBe(400);
    expect((await request(server.url).get('/api/keys').query({ offset: 'x' }).set(auth(server.adminKey))).status).toBe(400);
  });

  it('caps active keys per account with 409, and a revoked key frees its slot', async () => {
    const account = await newAccount('capped');
    const ids: string[] = [];
    for (let i = 0; i < MAX_KEYS; i++) ids.push((await createKey(server.adminKey, { name: `k${i}`, account })).id);
    const over = await request(server.url).post('/api/keys').set(auth(server.adminKey)).send({ account });
    expect(over.status).toBe(409);
    expect(over.body).toEqual({ error: expect.stringContaining('max_keys_per_account') });
    await request(server.url).delete(`/api/keys/${ids[0]}`).set(auth(server.adminKey)).expect(200);
    await createKey(server.adminKey, { account });
  });

  it('rejects bad input with 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 7 }, 'name'],
      [{ scopes: ['chat', 'root'] }, 'scopes'],
      [{ scopes: [] }, 'scopes'],
      [{ scopes: 'chat' }, 'scopes'],
      [{ limit: -1 }, 'limit'],
      [{ limit: '5' }, 'limit'],
      [{ limit_reset: 'yearly' }, 'limit_reset'],
      [{ expires_in_days: 0 }, 'expires_in_days'],
      [{ expires_in_days: 731 }, 'expires_in_days'],
      [{ expires_in_days: 1.5 }, 'expires_in_days'],
      [{ expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
      [{ expires_at: 'tomorrow' }, 'expires_at'],
      [{ allowed_ips: ['10.0.0.0/33'] }, 'allowed_ips'],
      [{ allowed_ips: ['300.1.1.1'] }, 'allowed_ips'],
      [{ allowed_ips: '10.0.0.1' }, 'allowed_ips'],
      [{ mode: 'prod' }, 'mode'],
      [{ rate_limit_rpm: 0 }, 'rate_limit_rpm'],
      [{ rate_limit_rpm: 'fast' }, 'rate_limit_rpm'],
      [{ account: 'no-such-account' }, 'account'],
      [{ colour: 'blue' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const res = await request(server.url).post('/api/keys').set(auth(server.adminKey)).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.body as { error: string }).error.startsWith(`${field}:`), JSON.stringify(res.body)).toBe(true);
    }
    const malformed = await request(server.url).post('/api/keys').set(auth(server.adminKey)).set('content-type', 'application/json').send('{"name":');
    expect(malformed.status).toBe(400);
  });
});

describe('authentication of managed keys', () => {
  it('revoked → 401 at once; disabled and expired have their own messages', async () => {
    const account = await newAccount('lifecycle');
    const { key, id } = await createKey(server.adminKey, { account });
    await request(server.url).get('/api/key').set(auth(key)).expect(200);

    await request(server.url).patch(`/api/keys/${id}`).set(auth(server.adminKey)).send({ disabled: true }).expect(200);
    expect((await request(server.url).get('/api/key').set(auth(key))).body).toEqual({ error: 'API key disabled' });
    await request(server.url).patch(`/api/keys/${id}`).set(auth(server.adminKey)).send({ disabled: false }).expect(200);
    await request(server.url).get('/api/key').set(auth(key)).expect(200);

    // Expiry passes: written behind the server's back, then the cached copy dropped.
    server.gateway.database.sqlite.prepare('UPDATE api_keys SET expires_at = ? WHERE id = ?').run('2000-01-01T00:00:00.000Z', id);
    server.gateway.keyStore.forget(hashApiKey(key));
    const expired = await request(server.url).get('/api/key').set(auth(key));
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: 'API key expired' });

    const { key: other, id: otherId } = await createKey(server.adminKey, { account });
    await request(server.url).get('/api/key').set(auth(other)).expect(200);
    const del = await request(server.url).delete(`/api/keys/${otherId}`).set(auth(server.adminKey));
    expect(del.body).toEqual({ id: otherId, deleted: true });
    const revoked = await request(server.url).get('/api/key').set(auth(other));
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual({ error: 'Invalid or missing API key' });
    await request(server.url).get(`/api/keys/${otherId}`).set(auth(server.adminKey)).expect(404);
    await request(server.url).delete(`/api/keys/${otherId}`).set(auth(server.adminKey)).expect(404);
  });

  it('403 names the missing scope or the refused IP', async () => {
    const account = await newAccount('scopes');
    const { key: reader } = await createKey(server.adminKey, { account, scopes: ['read'] });
    const res = await request(server.url).get('/api/keys').set(auth(reader));
    expect(res.status).toBe(403);
    expect((res.body as { error: string }).error).toContain('"keys"');
    const { key: chatter } = await createKey(server.adminKey, { account, scopes: ['chat'] });
    expect((await request(server.url).get('/api/key').set(auth(chatter))).body).toEqual({ error: expect.stringContaining('"read"') });

    const { key: fenced } = await createKey(server.adminKey, { account, allowed_ips: ['10.1.2.3', '192.168.0.0/16'] });
    const refused = await request(server.url).get('/api/key').set(auth(fenced));
    expect(refused.status).toBe(403);
    expect((refused.body as { error: string }).error).toContain('127.0.0.1');
    // trust_proxy is false: X-Forwarded-For is not believed.
    expect((await request(server.url).get('/api/key').set(auth(fenced)).set('x-forwarded-for', '10.1.2.3')).status).toBe(403);
  });

  it('malformed and unknown keys are 401', async () => {
    for (const key of ['bkb_123', 'bkb_' + 'A'.repeat(48), 'sk-' + 'a'.repeat(48), 'bkb_' + 'b'.repeat(48)]) {
      expect((await request(server.url).get('/api/keys').set(auth(key))).body).toEqual({ error: 'Invalid or missing API key' });
    }
  });
});

describe('GET /api/key', () => {
  it('shows the calling key', async () => {
    const account = await newAccount('self');
    const { key, id } = await createKey(server.adminKey, { account, name: 'me', limit: 1.5, limit_reset: 'daily', mode: 'test' });
    const res = await request(server.url).get('/api/key').set(auth(key));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: expect.objectContaining({
        id,
        label: expect.stringMatching(/^bkb_/),
        usage: 0,
        limit: 1.5,
        limit_remaining: 1.5,
        limit_reset: 'daily',
        rate_limit_rpm: DEFAULT_RPM,
        scopes: ['chat', 'read'],
        mode: 'test',
        expires_at: null,
      }),
    });
    const admin = await request(server.url).get('/api/key').set(auth(server.adminKey));
    expect(admin.body).toMatchObject({ data: { limit: null, scopes: ['chat', 'read', 'keys', 'admin'] } });
  });
});

describe('isolation and escalation', () => {
  it("another account's key is a 404 and never listed", async () => {
    const a = await newAccount('iso-a');
    const b = await newAccount('iso-b');
    const { key: managerA } = await createKey(server.adminKey, { account: a, scopes: ['keys', 'read'] });
    const { id: keyB } = await createKey(server.adminKey, { account: b });
    const { id: keyA } = await createKey(managerA, { name: 'own' });
    const list = await request(server.url).get('/api/keys').query({ account: b }).set(auth(managerA));
    const ids = (list.body as { keys: { id: string; account: string }[] }).keys.map((k) => k.id);
    expect(ids).toContain(keyA);
    expect(ids).not.toContain(keyB);
    for (const res of [
      await request(server.url).get(`/api/keys/${keyB}`).set(auth(managerA)),
      await request(server.url).patch(`/api/keys/${keyB}`).set(auth(managerA)).send({ name: 'mine now' }),
      await request(server.url).delete(`/api/keys/${keyB}`).set(auth(managerA)),
    ]) {
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(keyB);
    }
    const foreign = await request(server.url).post('/api/keys').set(auth(managerA)).send({ account: b });
    expect(foreign.status).toBe(403);
  });

  it('a keys-scoped key cannot mint, widen or manage beyond itself', async () => {
    const account = await newAccount('escalation');
    const { key: manager, id: managerId } = await createKey(server.adminKey, {
      account,
      scopes: ['keys', 'read'],
      limit: 10,
      limit_reset: 'monthly',
      rate_limit_rpm: 20,
    });
    const { id: adminKeyId } = await createKey(server.adminKey, { account, scopes: ['admin'] });

    const adminMint = await request(server.url)
      .post('/api/keys')
      .set(auth(manager))
      .send({ scopes: ['admin'] });
    expect(adminMint.status).toBe(403);
    expect((adminMint.body as { error: string }).error).toContain('"admin"');
    expect(
      (
        await request(server.url)
          .post('/api/keys')
          .set(auth(manager))
          .send({ scopes: ['chat'] })
      ).status,
    ).toBe(403);
    expect((await request(server.url).post('/api/keys').set(auth(manager)).send({ limit: 11 })).status).toBe(403);
    expect((await request(server.url).post('/api/keys').set(auth(manager)).send({ limit: null })).status).toBe(403);
    expect((await request(server.url).post('/api/keys').set(auth(manager)).send({ limit: 5, limit_reset: 'daily' })).status).toBe(403);
    expect((await request(server.url).post('/api/keys').set(auth(manager)).send({ rate_limit_rpm: 100 })).status).toBe(403);

    // Omitted fields inherit the creator's bounds.
    const child = await createKey(manager, { name: 'child' });
    expect(child.body).toMatchObject({ scopes: ['read'], limit: 10, limit_reset: 'monthly', rate_limit_rpm: 20 });
    expect(
      (
        await request(server.url)
          .patch(`/api/keys/${child.id}`)
          .set(auth(manager))
          .send({ scopes: ['read', 'chat'] })
      ).status,
    ).toBe(403);
    expect((await request(server.url).patch(`/api/keys/${child.id}`).set(auth(manager)).send({ limit: 50 })).status).toBe(403);
    await request(server.url).patch(`/api/keys/${child.id}`).set(auth(manager)).send({ limit: 2, name: 'narrower' }).expect(200);

    // It may not touch a key holding a scope it lacks, nor widen itself.
    expect((await request(server.url).delete(`/api/keys/${adminKeyId}`).set(auth(manager))).status).toBe(403);
    expect((await request(server.url).patch(`/api/keys/${adminKeyId}`).set(auth(manager)).send({ disabled: true })).status).toBe(403);
    expect(
      (
        await request(server.url)
          .patch(`/api/keys/${managerId}`)
          .set(auth(manager))
          .send({ scopes: ['keys', 'read', 'admin'] })
      ).status,
    ).toBe(403);

    // A wider key disabled by an admin cannot be re-enabled by a narrower one.
    const wide = await createKey(server.adminKey, { account, scopes: ['read'], limit: 100 });
    await request(server.url).patch(`/api/keys/${wide.id}`).set(auth(server.adminKey)).send({ disabled: true }).expect(200);
    expect((await request(server.url).patch(`/api/keys/${wide.id}`).set(auth(manager)).send({ disabled: false })).status).toBe(403);
  });

  it('a test-mode key only makes test-mode keys', async () => {
    const account = await newAccount('test-mode');
    const { key } = await createKey(server.adminKey, { account, scopes: ['keys', 'read'], mode: 'test' });
    expect((await request(server.url).post('/api/keys').set(auth(key)).send({ mode: 'live' })).status).toBe(403);
    expect((await createKey(key, {})).body).toMatchObject({ mode: 'test' });
  });
});

describe('PATCH /api/keys/:id input', () => {
  it('updates the listed fields and rejects the rest with 400 naming the field', async () => {
    const account = await newAccount('patching');
    const { id } = await createKey(server.adminKey, { account });
    const expiresAt = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const res = await request(server.url)
      .patch(`/api/keys/${id}`)
      .set(auth(server.adminKey))
      .send({ name: 'renamed', scopes: ['read'], limit: 0, limit_reset: 'daily', allowed_ips: ['::1'], rate_limit_rpm: 5, expires_at: expiresAt });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      id,
      name: 'renamed',
      scopes: ['read'],
      limit: 0,
      limit_remaining: 0,
      limit_reset: 'daily',
      allowed_ips: ['::1'],
      rate_limit_rpm: 5,
      expires_at: expiresAt,
    });
    for (const [body, field] of [
      [{ mode: 'test' }, 'mode'],
      [{ name: 'y'.repeat(101) }, 'name'],
      [{ disabled: 'yes' }, 'disabled'],
      [{ limit: -0.5 }, 'limit'],
      [{ allowed_ips: ['1.2.3.4/40'] }, 'allowed_ips'],
      [{ expires_at: '2000-01-01T00:00:00Z' }, 'expires_at'],
    ] as const) {
      const bad = await request(server.url).patch(`/api/keys/${id}`).set(auth(server.adminKey)).send(body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect((bad.body as { error: string }).error.startsWith(`${field}:`)).toBe(true);
    }
  });
});

describe('allowed_ips behind a trusted proxy', () => {
  it('believes X-Forwarded-For only when server.trust_proxy is set', async () => {
    const proxied = await startTestServer(mockConfig({ server: { trust_proxy: 1 } }));
    try {
      const created = await request(proxied.url)
        .post('/api/keys')
        .set(auth(proxied.adminKey))
        .send({ allowed_ips: ['203.0.113.0/24', '2001:db8::/32'] });
      const key = (created.body as { key: string }).key;
      createdKeys.push(key);
      await request(proxied.url).get('/api/key').set(auth(key)).set('x-forwarded-for', '203.0.113.7').expect(200);
      await request(proxied.url).get('/api/key').set(auth(key)).set('x-forwarded-for', '2001:db8::5').expect(200);
      const refused = await request(proxied.url).get('/api/key').set(auth(key)).set('x-forwarded-for', '198.51.100.1');
      expect(refused.status).toBe(403);
      expect((refused.body as { error: string }).error).toContain('198.51.100.1');
    } finally {
      await proxied.close();
    }
  });
});
