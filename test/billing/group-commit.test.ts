/**
 * Group commit: the charges of one tick share one transaction, every settle() resolves only once
 * its charge is committed (seen by a second connection), the ledger stays gapless and in order,
 * one bad write fails nobody else, and nothing runs inside an open Kysely transaction.
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LedgerBilling } from '../../src/billing/ledger-billing.js';
import { Ledger, type LedgerRow } from '../../src/billing/ledger.js';
import { KeyUsageCounters } from '../../src/billing/usage-windows.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Principal } from '../../src/plugins/types.js';

const NOW = Date.parse('2026-03-04T10:00:00Z');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(accounts: readonly string[] = ['acct']) {
  const dir = await mkdtemp(join(tmpdir(), 'sb-group-commit-'));
  const handle: DatabaseHandle = openDatabase(`sqlite:${join(dir, 'ledger.db')}`);
  cleanup.push(
    () => rm(dir, { recursive: true, force: true }),
    () => handle.close(),
  );
  expect((await migrateToLatest(handle.db)).error).toBeUndefined();
  for (const id of accounts)
    await handle.db
      .insertInto('accounts')
      .values({ id, name: id, created_at: new Date(NOW).toISOString() })
      .execute();
  const transactions = vi.spyOn(handle.sqlite, 'transaction');
  const ledger = new Ledger(handle, () => NOW);
  const counters = new KeyUsageCounters(() => NOW);
  let limit: { limitMicros: number | null; limitReset: 'daily' | null } | null = null;
  const billing = new LedgerBilling({ ledger, keyUsage: counters, keyLimit: () => limit, isUnmetered: (a) => a === 'free', logger: quiet });
  /** A second connection: sees only what is committed. */
  const reader = new BetterSqlite3(join(dir, 'ledger.db'), { readonly: true });
  cleanup.push(async () => {
    reader.close();
  });
  const committedRows = (accountId: string) => reader.prepare('SELECT * FROM ledger WHERE account_id = ? ORDER BY id').all(accountId) as LedgerRow[];
  const committedBalance = (accountId: string) => (reader.prepare('SELECT balance_micros AS b FROM accounts WHERE id = ?').get(accountId) as { b: number }).b;
  const principal = (accountId: string, keyId: string | null = null): Principal => ({
    accountId,
    keyId,
    scopes: ['chat'],
    mode: 'live',
    rateLimitRpm: null,
    scheme: 'api-key',
  });
  return { handle, ledger, counters, billing, transactions, committedRows, committedBalance, principal, setLimit: (l: typeof limit) => (limit = l) };
}

function expectGapless(rows: readonly LedgerRow[], balance: number): void {
  let running = 0;
  for (const row of rows) {
    running += row.amount_micros;
    expect(row.balance_after_micros).toBe(running);
  }
  expect(running).toBe(balance);
}

describe('group commit', () => {
  it('200 concurrent settles: one transaction, each resolved only after its commit, ledger gapless and equal to the balance', async () => {
    const t = await setup();
    await t.billing.credit({ accountId: 'acct', type: 'grant', amountMicros: 1_000_000 });
    const p = t.principal('acct', 'key1');
    const reservations = await Promise.all(
      Array.from({ length: 200 }, (_, i) => t.billing.reserve(p, { requestId: `q${i}`, modelId: 'm', maxCostMicros: 2_000 })),
    );
    t.transactions.mockClear();
    const seenAtResolve: number[] = [];
    await Promise.all(
      reservations.map((r, i) =>
        Promise.resolve(t.billing.settle(p, r, { requestId: `q${i}`, modelId: 'm', inputTokens: 1, outputTokens: 1, costMicros: 1_000 + i })).then(() => {
          // Resolved: the row is visible to another connection, so it is committed.
          seenAtResolve.push(t.committedRows('acct').filter((row) => row.request_id === `q${i}`).length);
        }),
      ),
    );
    expect(t.transactions).toHaveBeenCalledTimes(1);
    expect(seenAtResolve).toEqual(Array.from({ length: 200 }, () => 1));
    const rows = t.committedRows('acct');
    expect(rows).toHaveLength(201);
    const spent = Array.from({ length: 200 }, (_, i) => 1_000 + i).reduce((a, b) => a + b, 0);
    expect(t.committedBalance('acct')).toBe(1_000_000 - spent);
    expectGapless(rows, t.committedBalance('acct'));
    expect(rows.slice(1).map((r) => r.request_id)).toEqual(Array.from({ length: 200 }, (_, i) => `q${i}`));
    expect(t.counters.usageMicros('key1', null)).toBe(spent);
    expect(t.billing.reservedMicros('acct')).toBe(0);
  });

  it('a batch mixing accounts, grants and an unmetered account keeps every account gapless', async () => {
    const t = await setup(['a', 'b', 'free']);
    await Promise.all([
      t.billing.credit({ accountId: 'a', type: 'grant', amountMicros: 50_000 }),
      t.billing.credit({ accountId: 'b', type: 'grant', amountMicros: 50_000 }),
    ]);
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const account = ['a', 'b', 'free'][i % 3]!;
      const p = t.principal(account);
      jobs.push(
        Promise.resolve(t.billing.reserve(p, { requestId: `${account}${i}`, modelId: 'm', maxCostMicros: 500 })).then((r) =>
          t.billing.settle(p, r, { requestId: `${account}${i}`, modelId: 'm', inputTokens: 1, outputTokens: 1, costMicros: 400 }),
        ),
      );
      if (i % 10 === 0) jobs.push(t.billing.credit({ accountId: 'a', type: 'grant', amountMicros: 1_000 }));
    }
    await Promise.all(jobs);
    expect(t.committedBalance('a')).toBe(50_000 + 6 * 1_000 - 20 * 400);
    expect(t.committedBalance('b')).toBe(50_000 - 20 * 400);
    expect(t.committedBalance('free')).toBe(0);
    for (const id of ['a', 'b', 'free']) expectGapless(t.committedRows(id), t.committedBalance(id));
    expect(
      t
        .committedRows('free')
        .filter((r) => r.type === 'usage')
        .every((r) => r.amount_micros === 0 && r.cost_micros === 400),
    ).toBe(true);
  });

  it('one refused write in a batch fails alone; the others commit', async () => {
    const t = await setup();
    await t.billing.credit({ accountId: 'acct', type: 'grant', amountMicros: 10_000 });
    const results = await Promise.allSettled([
      t.billing.credit({ accountId: 'acct', type: 'grant', amountMicros: 1_000 }),
      t.billing.credit({ accountId: 'nobody', type: 'grant', amountMicros: 1_000 }),
      t.billing.credit({ accountId: 'acct', type: 'adjustment', amountMicros: -1_000_000 }),
      t.billing.credit({ accountId: 'acct', type: 'adjustment', amountMicros: -2_000 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: { code: 'not_found' } });
    expect(results[2]).toMatchObject({ reason: { code: 'request_invalid' } });
    expect(t.committedBalance('acct')).toBe(9_000);
    expectGapless(t.committedRows('acct'), 9_000);
  });

  it('waits for an open Kysely transaction, so its rollback cannot take a charge with it', async () => {
    const t = await setup();
    await t.billing.credit({ accountId: 'acct', type: 'grant', amountMicros: 10_000 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const rolledBack = t.handle.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('accounts')
        .values({ id: 'temp', name: 'temp', created_at: new Date(NOW).toISOString() })
        .execute();
      await gate;
      throw new Error('roll back');
    });
    // Let the transaction begin, then charge while it is open.
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.handle.sqlite.inTransaction).toBe(true);
    const charged = t.billing.credit({ accountId: 'acct', type: 'adjustment', amountMicros: -3_000 });
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(t.committedBalance('acct')).toBe(10_000);
    release();
    await expect(rolledBack).rejects.toThrow('roll back');
    await charged;
    expect(t.committedBalance('acct')).toBe(7_000);
    expect(t.committedRows('temp')).toEqual([]);
    expectGapless(t.committedRows('acct'), 7_000);
  });

  it('reserve() is synchronous and reads no database once the balance is cached', async () => {
    const t = await setup();
    await t.billing.credit({ accountId: 'acct', type: 'grant', amountMicros: 10_000 });
    t.setLimit({ limitMicros: 5_000, limitReset: 'daily' });
    const balanceOf = vi.spyOn(t.ledger, 'balanceOf');
    const prepare = vi.spyOn(t.handle.sqlite, 'prepare');
    const r = t.billing.reserve(t.principal('acct', 'key1'), { requestId: 'x', modelId: 'm', maxCostMicros: 4_000 });
    expect(r).not.toBeInstanceOf(Promise);
    expect(t.billing.reservedMicros('acct')).toBe(4_000);
    // Over the key limit with the hold above: refused at once, as a rejected promise.
    await expect(t.billing.reserve(t.principal('acct', 'key1'), { requestId: 'y', modelId: 'm', maxCostMicros: 2_000 })).rejects.toMatchObject({
      code: 'key_limit_reached',
    });
    expect(balanceOf).not.toHaveBeenCalled();
    expect(prepare).not.toHaveBeenCalled();
  });
});
