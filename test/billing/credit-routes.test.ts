/** /api/pricing, /api/usage/*, admin credits, promo codes and /api/redeem through the real server. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';
import { admin, balances, bearer, chatBody, fundedKey, grant, newAccount, newKey } from './billing-helpers.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(
    mockConfig({
      rate_limits: { default_rpm: 100_000 },
      billing: {
        unmetered_accounts: [],
        promo_codes: [
          { code: 'WELCOME50', credits: 50, max_redemptions: 1000 },
          { code: 'OLD', credits: 5, expires_at: '2020-01-01T00:00:00Z' },
        ],
      },
      models: [
        {
          id: 'mock-fast',
          provider: 'local-mock',
          categories: ['text', 'code', 'image', 'video', 'document'],
          pricing: { input_per_1m: 0.15, output_per_1m: 0.6 },
        },
        { id: 'gpt-4o', provider: 'local-mock', categories: ['text'], pricing: { input_per_1m: 2.5, output_per_1m: 10 } },
        {
          id: 'claude-cached',
          provider: 'local-mock',
          categories: ['text'],
          pricing: { input_per_1m: 3, output_per_1m: 15, cached_input_per_1m: 0.3 },
        },
      ],
      routing: { categories: { text: { policy: 'fixed', models: ['mock-fast'] }, code: { policy: 'fixed', models: ['mock-fast'] } } },
    }),
  );
});
afterAll(async () => server?.close());

describe('GET /api/pricing', () => {
  it('lists prices with the overhead included (2.50 → 2.5625)', async () => {
    const res = await request(server.url).get('/api/pricing').set(admin(server));
    expect(res.status).toBe(200);
    // Cache prices default to the input price (reads) and 1.25 × it (writes).
    expect(res.body.models).toContainEqual({
      id: 'gpt-4o',
      name: 'gpt-4o',
      inputPer1M: 2.5625,
      outputPer1M: 10.25,
      cacheReadPer1M: 2.5625,
      cacheWritePer1M: 3.203125,
    });
    // The older key cached_input_per_1m still sets the cache-read price.
    expect(res.body.models).toContainEqual({
      id: 'claude-cached',
      name: 'claude-cached',
      inputPer1M: 3.075,
      outputPer1M: 15.375,
      cacheReadPer1M: 0.3075,
      cacheWritePer1M: 3.84375,
    });
  });
  it('needs the read scope', async () => {
    const accountId = await newAccount(server, 'pricing-chat-only');
    const { key } = await server.gateway.keyStore.create({ accountId, name: 'c', scopes: ['chat'] });
    expect((await request(server.url).get('/api/pricing').set(bearer(key))).status).toBe(403);
  });
});

describe('admin credits', () => {
  it('grants and deducts as ledger entries and returns the new balance', async () => {
    const accountId = await newAccount(server, 'grants');
    expect(await grant(server, accountId, 12.345678)).toBe(12.345678);
    const deduct = await request(server.url)
      .post(`/api/admin/accounts/${accountId}/credits`)
      .set(admin(server))
      .send({ amount: -2.345678, note: 'correction' });
    expect(deduct.status).toBe(200);
    expect(deduct.body.credits).toBe(10);
    expect(await balances(server, accountId)).toEqual({ cached: 10_000_000, sum: 10_000_000, lastAfter: 10_000_000 });
    const history = await request(server.url).get(`/api/usage/history?account=${accountId}`).set(admin(server));
    expect(history.body.transactions.map((t: { type: string; amount: number }) => [t.type, t.amount])).toEqual([
      ['adjustment', -2.345678],
      ['grant', 12.345678],
    ]);
  });
  it('refuses a deduction below zero, a non-numeric amount (400 naming amount) and an unknown account (404)', async () => {
    const accountId = await newAccount(server, 'grant-errors');
    await grant(server, accountId, 1);
    const tooMuch = await request(server.url).post(`/api/admin/accounts/${accountId}/credits`).set(admin(server)).send({ amount: -2 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatch(/amount/);
    for (const amount of ['10', null, 'abc', 0]) {
      const bad = await request(server.url).post(`/api/admin/accounts/${accountId}/credits`).set(admin(server)).send({ amount });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/^amount/);
    }
    expect((await request(server.url).post('/api/admin/accounts/nope/credits').set(admin(server)).send({ amount: 1 })).status).toBe(404);
  });
  it('is admin only', async () => {
    const { key, accountId } = await fundedKey(server, 'grant-forbidden', 0);
    expect((await request(server.url).post(`/api/admin/accounts/${accountId}/credits`).set(bearer(key)).send({ amount: 5 })).status).toBe(403);
  });
});

describe('/api/usage', () => {
  it('summary, by-model and history for the caller; history paginates newest first', async () => {
    const { accountId, key, keyId } = await fundedKey(server, 'usage-views', 1, { limitMicros: 500_000, limitReset: 'monthly' });
    for (let i = 0; i < 3; i++)
      expect(
        (
          await request(server.url)
            .post('/v1/chat/completions')
            .set(bearer(key))
            .send(chatBody(`q ${i}`))
        ).status,
      ).toBe(200);
    const summary = await request(server.url).get('/api/usage/summary').set(bearer(key));
    expect(summary.status).toBe(200);
    const b = await balances(server, accountId);
    expect(summary.body).toMatchObject({ account: accountId, credits: b.cached / 1e6, unmetered: false, reserved: 0, usage: { requests: 3 } });
    expect(summary.body.rateLimit).toEqual({ limit: expect.any(Number), remaining: expect.any(Number), reset: expect.any(Number) });
    expect(summary.body.key).toMatchObject({ id: keyId, limit: 0.5, limit_reset: 'monthly', usage: (1_000_000 - b.cached) / 1e6 });

    const byModel = await request(server.url).get('/api/usage/by-model').set(bearer(key));
    expect(byModel.body.models).toEqual([
      { model: 'mock-fast', requests: 3, inputTokens: expect.any(Number), outputTokens: expect.any(Number), cost: (1_000_000 - b.cached) / 1e6 },
    ]);

    const page1 = await request(server.url).get('/api/usage/history?page=1&limit=2').set(bearer(key));
    expect(page1.body).toMatchObject({ page: 1, limit: 2, total: 4 });
    expect(page1.body.transactions).toHaveLength(2);
    const t = page1.body.transactions[0];
    expect(t).toMatchObject({ type: 'usage', model: 'mock-fast', key_id: keyId, balance_after: b.cached / 1e6 });
    expect(t.amount).toBeLessThan(0);
    expect(typeof t.request_id).toBe('string');
    expect(t.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const page2 = await request(server.url).get('/api/usage/history?page=2&limit=2').set(bearer(key));
    expect(page2.body.transactions.map((x: { type: string }) => x.type)).toEqual(['usage', 'grant']);
    const beyond = await request(server.url).get('/api/usage/history?page=9&limit=2').set(bearer(key));
    expect(beyond.status).toBe(200);
    expect(beyond.body).toMatchObject({ transactions: [], page: 9, total: 4 });
  });
  it('rejects bad paging and hides other accounts', async () => {
    const { key } = await fundedKey(server, 'usage-paging', 0);
    for (const q of ['limit=0', 'limit=501', 'limit=x', 'page=0', 'page=-1', 'page=1.5']) {
      const res = await request(server.url).get(`/api/usage/history?${q}`).set(bearer(key));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^(limit|page)/);
    }
    expect((await request(server.url).get('/api/usage/history?limit=500').set(bearer(key))).status).toBe(200);
    expect((await request(server.url).get('/api/usage/summary?account=default').set(bearer(key))).status).toBe(404);
    expect((await request(server.url).get('/api/usage/summary?account=missing').set(admin(server))).status).toBe(404);
  });
});

describe('promo codes and /api/redeem', () => {
  it('redeems a YAML code once per account (409 the second time), case-insensitively', async () => {
    const { accountId, key } = await fundedKey(server, 'redeemer', 0);
    const first = await request(server.url).post('/api/redeem').set(bearer(key)).send({ code: 'welcome50' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ credits: 50, redeemed: 50 });
    const again = await request(server.url).post('/api/redeem').set(bearer(key)).send({ code: 'WELCOME50' });
    expect(again.status).toBe(409);
    expect(await balances(server, accountId)).toEqual({ cached: 50_000_000, sum: 50_000_000, lastAfter: 50_000_000 });
    // The credits are spendable at once.
    expect((await request(server.url).post('/v1/chat/completions').set(bearer(key)).send(chatBody('now I can pay'))).status).toBe(200);
  });
  it('unknown, expired or exhausted codes are 400; a missing code is 400', async () => {
    const { key } = await fundedKey(server, 'redeem-errors', 0);
    expect((await request(server.url).post('/api/redeem').set(bearer(key)).send({ code: 'NOPE' })).status).toBe(400);
    expect((await request(server.url).post('/api/redeem').set(bearer(key)).send({ code: 'OLD' })).body.error).toMatch(/expired/);
    expect((await request(server.url).post('/api/redeem').set(bearer(key)).send({})).status).toBe(400);
    const created = await request(server.url).post('/api/admin/promo-codes').set(admin(server)).send({ code: 'ONCE', credits: 1, max_redemptions: 1 });
    expect(created.status).toBe(201);
    expect((await request(server.url).post('/api/redeem').set(bearer(key)).send({ code: 'ONCE' })).status).toBe(200);
    const other = await fundedKey(server, 'redeem-errors-2', 0);
    const exhausted = await request(server.url).post('/api/redeem').set(bearer(other.key)).send({ code: 'ONCE' });
    expect(exhausted.status).toBe(400);
    expect(exhausted.body.error).toMatch(/fully redeemed/);
  });
  it('admin promo codes: create (409 on a duplicate), list, validation', async () => {
    const res = await request(server.url)
      .post('/api/admin/promo-codes')
      .set(admin(server))
      .send({ code: 'SPRING', credits: 2.5, expires_at: '2099-01-01T00:00:00Z' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 'SPRING',
      credits: 2.5,
      max_redemptions: null,
      redemptions: 0,
      expires_at: '2099-01-01T00:00:00.000Z',
      source: 'admin',
    });
    expect((await request(server.url).post('/api/admin/promo-codes').set(admin(server)).send({ code: 'spring', credits: 1 })).status).toBe(409);
    expect((await request(server.url).post('/api/admin/promo-codes').set(admin(server)).send({ code: 'X', credits: 'a lot' })).body.error).toMatch(/^credits/);
    expect((await request(server.url).post('/api/admin/promo-codes').set(admin(server)).send({ code: 'bad code!', credits: 1 })).body.error).toMatch(/^code/);
    const list = await request(server.url).get('/api/admin/promo-codes').set(admin(server));
    expect(list.body.promo_codes.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['WELCOME50', 'OLD', 'SPRING']));
  });
  it('50 accounts racing for a max_redemptions:1 code: exactly one wins', async () => {
    expect((await request(server.url).post('/api/admin/promo-codes').set(admin(server)).send({ code: 'RACE1', credits: 3, max_redemptions: 1 })).status).toBe(
      201,
    );
    const keys = await Promise.all(Array.from({ length: 50 }, async (_, i) => (await newKey(server, await newAccount(server, `racer-${i}`))).key));
    const statuses = await Promise.all(
      keys.map((key) =>
        fetch(`${server.url}/api/redeem`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ code: 'RACE1' }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(49);
    const list = await request(server.url).get('/api/admin/promo-codes').set(admin(server));
    expect(list.body.promo_codes.find((p: { code: string }) => p.code === 'RACE1').redemptions).toBe(1);
  });
  it('one account racing itself with 20 parallel redeems gets the credits once', async () => {
    const { accountId, key } = await fundedKey(server, 'self-racer', 0);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${server.url}/api/redeem`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ code: 'WELCOME50' }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect((await balances(server, accountId)).cached).toBe(50_000_000);
  });
});

describe('the default account', () => {
  it('is unmetered by default: admin keys answer with a zero balance and the ledger records the cost with amount 0', async () => {
    const s = await startTestServer(mockConfig());
    try {
      const res = await request(s.url).post('/v1/chat/completions').set(admin(s)).send(chatBody('hello'));
      expect(res.status).toBe(200);
      const rows = await s.gateway.database.db.selectFrom('ledger').selectAll().where('account_id', '=', 'default').execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ type: 'usage', amount_micros: 0, balance_after_micros: 0 });
      expect(rows[0]!.cost_micros).toBeGreaterThan(0);
      const summary = await request(s.url).get('/api/usage/summary').set(admin(s));
      expect(summary.body).toMatchObject({ credits: 0, unmetered: true });
    } finally {
      await s.close();
    }
  });
});
