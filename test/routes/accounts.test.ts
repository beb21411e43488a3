/** /api/admin/accounts through the real server. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('/api/admin/accounts', () => {
  it('creates an account with 0 credits and lists it next to the default account', async () => {
    const res = await request(server.url).post('/api/admin/accounts').set(auth(server.adminKey)).send({ name: 'team-a' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'team-a', credits: 0, created_at: expect.any(String) });
    const id = (res.body as { id: string }).id;

    const list = await request(server.url).get('/api/admin/accounts').set(auth(server.adminKey));
    expect(list.status).toBe(200);
    const names = (list.body as { accounts: { name: string }[] }).accounts.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'team-a']));

    expect((await request(server.url).get(`/api/admin/accounts/${id}`).set(auth(server.adminKey))).body).toMatchObject({ id, name: 'team-a', credits: 0 });
    expect((await request(server.url).get('/api/admin/accounts/nope').set(auth(server.adminKey))).status).toBe(404);
  });

  it('reports credits from the cached balance', async () => {
    const res = await request(server.url).post('/api/admin/accounts').set(auth(server.adminKey)).send({ name: 'funded' });
    const id = (res.body as { id: string }).id;
    server.gateway.database.sqlite.prepare('UPDATE accounts SET balance_micros = ? WHERE id = ?').run(12_345_678, id);
    expect((await request(server.url).get(`/api/admin/accounts/${id}`).set(auth(server.adminKey))).body).toMatchObject({ credits: 12.345678 });
  });

  it('refuses duplicates (409), bad names (400) and non-admin keys (403)', async () => {
    await request(server.url).post('/api/admin/accounts').set(auth(server.adminKey)).send({ name: 'dup' }).expect(201);
    expect((await request(server.url).post('/api/admin/accounts').set(auth(server.adminKey)).send({ name: 'dup' })).status).toBe(409);
    for (const body of [{}, { name: '' }, { name: 3 }, { name: 'x'.repeat(101) }]) {
      const res = await request(server.url).post('/api/admin/accounts').set(auth(server.adminKey)).send(body);
      expect(res.status).toBe(400);
      expect((res.body as { error: string }).error).toMatch(/^name:/);
    }
    const key = await request(server.url)
      .post('/api/keys')
      .set(auth(server.adminKey))
      .send({ scopes: ['keys', 'read', 'chat'] });
    const manager = (key.body as { key: string }).key;
    const refused = await request(server.url).get('/api/admin/accounts').set(auth(manager));
    expect(refused.status).toBe(403);
    expect((refused.body as { error: string }).error).toContain('"admin"');
  });

  it('admin keys create keys for an account by id or by name; the key belongs to it', async () => {
    const res = await request(server.url).post('/api/admin/accounts').set(auth(server.adminKey)).send({ name: 'owner' });
    const id = (res.body as { id: string }).id;
    const byId = await request(server.url).post('/api/keys').set(auth(server.adminKey)).send({ account: id });
    const byName = await request(server.url).post('/api/keys').set(auth(server.adminKey)).send({ account: 'owner' });
    expect(byId.body).toMatchObject({ account: id });
    expect(byName.body).toMatchObject({ account: id });
    const own = await request(server.url)
      .get('/api/key')
      .set(auth((byId.body as { key: string }).key));
    expect(own.body).toMatchObject({ data: { account: id } });
  });
});
