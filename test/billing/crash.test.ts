/**
 * kill -9 under load: after a restart the ledger and the cached balance agree and every request
 * that got a 200 has its usage entry (a charge is committed before the response ends).
 */
import BetterSqlite3 from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.js';

const ADMIN = 'bkb_' + 'c'.repeat(48);
const config = {
  auth: { admin_keys: [ADMIN] },
  billing: { unmetered_accounts: [] },
  rate_limits: { default_rpm: 100_000 },
  providers: [{ name: 'local-mock', type: 'mock', latency_ms: 15 }],
  models: [{ id: 'mock-fast', provider: 'local-mock', categories: ['text', 'code'], pricing: { input_per_1m: 0.15, output_per_1m: 0.6 } }],
  routing: { categories: { text: { policy: 'fixed', models: ['mock-fast'] }, code: { policy: 'fixed', models: ['mock-fast'] } } },
};

const running: SpawnedServer[] = [];
afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  if (running[0]) await rm(running[0].dir, { recursive: true, force: true });
});

async function api(url: string, path: string, key: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('crash safety', () => {
  it('kill -9 mid-load loses no committed charge', { timeout: 60_000 }, async () => {
    const first = await spawnServer(config);
    running.push(first);
    const account = await api(first.url, '/api/admin/accounts', ADMIN, { name: 'crash-team' });
    expect(account.status).toBe(201);
    const accountId = account.json['id'] as string;
    expect((await api(first.url, `/api/admin/accounts/${accountId}/credits`, ADMIN, { amount: 100 })).status).toBe(200);
    const created = await api(first.url, '/api/keys', ADMIN, { name: 'load', account: accountId });
    expect(created.status).toBe(201);
    const key = created.json['key'] as string;

    const succeeded: string[] = [];
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; !killed && i < 200; i++) {
        try {
          const stream = i % 2 === 0;
          const res = await fetch(`${first.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': `crash-${w}-${i}-req` },
            body: JSON.stringify({ model: 'mock-fast', stream, messages: [{ role: 'user', content: `worker ${w} request ${i}` }] }),
          });
          await res.text();
          if (res.status === 200) succeeded.push(`crash-${w}-${i}-req`);
          if (succeeded.length >= 60 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        } catch {
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, w) => worker(w)));
    expect(killed).toBe(true);
    await first.exited;

    const second = await spawnServer(config, { dir: first.dir });
    running.push(second);
    const summary = await api(second.url, `/api/usage/summary?account=${accountId}`, ADMIN);
    expect(summary.status).toBe(200);
    second.child.kill('SIGTERM');
    await second.exited;

    const db = new BetterSqlite3(join(first.dir, 'switchboard.db'), { readonly: true });
    try {
      const balance = (db.prepare('SELECT balance_micros AS b FROM accounts WHERE id = ?').get(accountId) as { b: number }).b;
      const sum = (db.prepare('SELECT COALESCE(SUM(amount_micros), 0) AS s FROM ledger WHERE account_id = ?').get(accountId) as { s: number }).s;
      const last = db.prepare('SELECT balance_after_micros AS a FROM ledger WHERE account_id = ? ORDER BY id DESC LIMIT 1').get(accountId) as { a: number };
      const charged = new Set(
        (db.prepare("SELECT request_id AS r FROM ledger WHERE type = 'usage' AND account_id = ?").all(accountId) as { r: string }[]).map((row) => row.r),
      );
      expect(sum).toBe(balance);
      expect(last.a).toBe(balance);
      expect(balance).toBeGreaterThanOrEqual(0);
      expect(summary.json['credits']).toBe(balance / 1e6);
      expect(succeeded.filter((id) => !charged.has(id))).toEqual([]);
      expect(charged.size).toBeGreaterThanOrEqual(succeeded.length);
    } finally {
      db.close();
    }
  });
});
