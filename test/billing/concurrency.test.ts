/**
 * Hundreds of parallel requests against a balance (or a key limit) that covers exactly K of them:
 * at most K succeed, nothing goes below zero, and the ledger sums to the balance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, startTestServer, type TestServer } from '../helpers/start-server.js';
import { balances, fundedKey, ledgerRows } from './billing-helpers.js';

// Overhead 0 and a one-token fixed reply with max_tokens 1: every request reserves and costs exactly 1000 µ$.
const PER_REQUEST = 1000;
const PARALLEL = 300;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    auth: { admin_keys: [TEST_ADMIN_KEY] },
    billing: { overhead: 0, unmetered_accounts: [] },
    rate_limits: { default_rpm: 100_000 },
    providers: [{ name: 'fixed', type: 'mock', reply: 'ok', latency_ms: 5 }],
    models: [{ id: 'flat', provider: 'fixed', categories: ['text'], pricing: { input_per_1m: 0, output_per_1m: 1000 } }],
    routing: { categories: { text: { policy: 'fixed', models: ['flat'] } } },
  });
});
afterAll(async () => server?.close());

async function fire(key: string, n: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'flat', max_tokens: 1, messages: [{ role: 'user', content: `request ${i}` }] }),
      }).then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      }),
    ),
  );
}

describe('no overspend under concurrency', () => {
  it(`${PARALLEL} parallel requests against a balance covering 37: exactly 37 succeed, the rest get 402`, async () => {
    const K = 37;
    const { accountId, key } = await fundedKey(server, 'race-balance', (K * PER_REQUEST) / 1e6);
    const statuses = await fire(key, PARALLEL);
    expect(statuses.filter((s) => s !== 200 && s !== 402)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(K);
    const rows = await ledgerRows(server, accountId);
    expect(rows.every((r) => r.balance_after_micros >= 0)).toBe(true);
    expect(rows.filter((r) => r.type === 'usage')).toHaveLength(K);
    expect(await balances(server, accountId)).toEqual({ cached: 0, sum: 0, lastAfter: 0 });
  });

  it(`${PARALLEL} parallel requests against a key limit covering 23: exactly 23 succeed, the rest get 402 naming the key limit`, async () => {
    const K = 23;
    const { accountId, key } = await fundedKey(server, 'race-key', 1, { limitMicros: K * PER_REQUEST, limitReset: 'daily' });
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        fetch(`${server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: 'flat', max_tokens: 1, messages: [{ role: 'user', content: `request ${i}` }] }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: { message: string; code?: unknown } } })),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(K);
    const refused = responses.filter((r) => r.status !== 200);
    expect(refused.every((r) => r.status === 402 && /key limit/i.test(r.body.error?.message ?? ''))).toBe(true);
    const b = await balances(server, accountId);
    expect(b.cached).toBe(1_000_000 - K * PER_REQUEST);
    expect(b.sum).toBe(b.cached);
    expect((await ledgerRows(server, accountId)).filter((r) => r.type === 'usage')).toHaveLength(K);
  });

  it('a reservation larger than the actual cost never lets more requests through than the balance covers', async () => {
    // max_tokens 4 reserves 4000 µ$ per request; each costs 1000 µ$. Balance 10 000 µ$.
    const { accountId, key } = await fundedKey(server, 'race-overreserve', 0.01);
    const statuses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        fetch(`${server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: 'flat', max_tokens: 4, messages: [{ role: 'user', content: `r${i}` }] }),
        }).then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        }),
      ),
    );
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThanOrEqual(10);
    const b = await balances(server, accountId);
    expect(b.cached).toBe(10_000 - ok * PER_REQUEST);
    expect(b.cached).toBeGreaterThanOrEqual(0);
    expect(b.sum).toBe(b.cached);
  });
});
