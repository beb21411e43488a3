/** Key-limit windows from the clock alone, and the per-key counters rebuilt from the ledger. */
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerBilling } from '../../src/billing/ledger-billing.js';
import { Ledger } from '../../src/billing/ledger.js';
import { KeyUsageCounters, nextWindowStart, windowStart } from '../../src/billing/usage-windows.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Principal } from '../../src/plugins/types.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('windowStart', () => {
  it('daily: UTC midnight', () => {
    expect(iso(windowStart('daily', at('2026-03-04T23:59:59.999Z')))).toBe('2026-03-04T00:00:00.000Z');
    expect(iso(nextWindowStart('daily', at('2026-03-04T10:00:00Z')))).toBe('2026-03-05T00:00:00.000Z');
  });
  it('weekly: Monday 00:00 UTC, also from a Sunday and across a month boundary', () => {
    expect(iso(windowStart('weekly', at('2026-03-02T00:00:00Z')))).toBe('2026-03-02T00:00:00.000Z'); // Monday
    expect(iso(windowStart('weekly', at('2026-03-08T23:59:59Z')))).toBe('2026-03-02T00:00:00.000Z'); // Sunday
    expect(iso(windowStart('weekly', at('2026-04-01T12:00:00Z')))).toBe('2026-03-30T00:00:00.000Z'); // Wednesday
    expect(iso(nextWindowStart('weekly', at('2026-03-08T23:59:59Z')))).toBe('2026-03-09T00:00:00.000Z');
  });
  it('monthly: the first of the month, December rolls into January', () => {
    expect(iso(windowStart('monthly', at('2026-02-28T23:00:00Z')))).toBe('2026-02-01T00:00:00.000Z');
    expect(iso(nextWindowStart('monthly', at('2026-12-31T23:59:59Z')))).toBe('2027-01-01T00:00:00.000Z');
  });
});

const handles: DatabaseHandle[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
});

async function setup(startIso: string) {
  const handle = openDatabase('sqlite::memory:');
  handles.push(handle);
  const migrated = await migrateToLatest(handle.db);
  expect(migrated.error).toBeUndefined();
  let now = at(startIso);
  const clock = () => now;
  await handle.db.insertInto('accounts').values({ id: 'acct', name: 'acct', created_at: startIso }).execute();
  const ledger = new Ledger(handle, clock);
  await ledger.append({ accountId: 'acct', type: 'grant', amountMicros: 100_000_000 });
  const counters = new KeyUsageCounters(clock);
  await counters.load(handle.db);
  let limit: { limitMicros: number | null; limitReset: 'daily' | 'weekly' | 'monthly' | null } = { limitMicros: 5_000, limitReset: 'daily' };
  const billing = new LedgerBilling({
    ledger,
    keyUsage: counters,
    keyLimit: () => limit,
    isUnmetered: () => false,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const principal: Principal = { accountId: 'acct', keyId: 'key1', scopes: ['chat'], mode: 'live', rateLimitRpm: null, scheme: 'api-key' };
  let n = 0;
  const spend = async (micros: number) => {
    const r = await billing.reserve(principal, { requestId: `q${++n}`, modelId: 'm', maxCostMicros: micros });
    await billing.settle(principal, r, { requestId: `q${n}`, modelId: 'm', inputTokens: 1, outputTokens: 1, costMicros: micros });
  };
  return {
    handle,
    ledger,
    counters,
    billing,
    principal,
    spend,
    setNow: (s: string) => (now = at(s)),
    setLimit: (l: typeof limit) => (limit = l),
  };
}

describe('key limits per window', () => {
  it('daily: the limit blocks within the day and resets at 00:00 UTC', async () => {
    const t = await setup('2026-03-04T22:00:00Z');
    await t.spend(3_000);
    await t.spend(2_000);
    await expect(t.spend(1)).rejects.toMatchObject({ code: 'key_limit_reached' });
    t.setNow('2026-03-04T23:59:59.999Z');
    await expect(t.spend(1)).rejects.toMatchObject({ code: 'key_limit_reached' });
    t.setNow('2026-03-05T00:00:00.000Z');
    expect(t.counters.usageMicros('key1', 'daily')).toBe(0);
    await t.spend(5_000);
    expect(t.counters.usageMicros('key1', 'daily')).toBe(5_000);
    expect(t.counters.usageMicros('key1', null)).toBe(10_000);
  });

  it('weekly resets on Monday, monthly on the 1st; a lifetime limit (null reset) never resets', async () => {
    const t = await setup('2026-03-28T12:00:00Z'); // Saturday
    t.setLimit({ limitMicros: 4_000, limitReset: 'weekly' });
    await t.spend(4_000);
    t.setNow('2026-03-29T23:00:00Z'); // Sunday
    await expect(t.spend(1)).rejects.toMatchObject({ code: 'key_limit_reached' });
    t.setNow('2026-03-30T00:00:01Z'); // Monday
    await t.spend(4_000);
    t.setLimit({ limitMicros: 8_000, limitReset: 'monthly' });
    await expect(t.spend(1)).rejects.toMatchObject({ code: 'key_limit_reached' }); // March: 8 000 spent
    t.setNow('2026-04-01T00:00:00Z');
    await t.spend(1_000);
    t.setLimit({ limitMicros: 9_000, limitReset: null });
    await expect(t.spend(1)).rejects.toMatchObject({ code: 'key_limit_reached' }); // lifetime 9 000
  });

  it('a limit of 0 allows nothing', async () => {
    const t = await setup('2026-03-04T10:00:00Z');
    t.setLimit({ limitMicros: 0, limitReset: null });
    await expect(t.spend(0)).rejects.toMatchObject({ code: 'key_limit_reached' });
  });

  it('counters rebuilt from the ledger after a restart, even when the server was down at the reset', async () => {
    const t = await setup('2026-03-04T20:00:00Z');
    await t.spend(4_500);
    // Restart the same day: the spend is still counted.
    const sameDay = new KeyUsageCounters(() => at('2026-03-04T21:00:00Z'));
    await sameDay.load(t.handle.db);
    expect(sameDay.usageMicros('key1', 'daily')).toBe(4_500);
    expect(sameDay.usageMicros('key1', 'weekly')).toBe(4_500);
    // Restart two days later (down at midnight): the daily window has reset, weekly/monthly have not.
    const later = new KeyUsageCounters(() => at('2026-03-06T09:00:00Z'));
    await later.load(t.handle.db);
    expect(later.usageMicros('key1', 'daily')).toBe(0);
    expect(later.usageMicros('key1', 'weekly')).toBe(4_500);
    expect(later.usageMicros('key1', 'monthly')).toBe(4_500);
    expect(later.usageMicros('key1', null)).toBe(4_500);
    expect(later.usageMicros('unknown', 'daily')).toBe(0);
  });

  it('a release returns the hold; the ledger and the cached balance agree', async () => {
    const t = await setup('2026-03-04T10:00:00Z');
    const r = await t.billing.reserve(t.principal, { requestId: 'x', modelId: 'm', maxCostMicros: 5_000 });
    await expect(t.spend(1)).rejects.toMatchObject({ code: 'key_limit_reached' });
    t.billing.release(t.principal, r);
    await t.spend(5_000);
    expect(await t.ledger.ledgerSum('acct')).toBe(await t.ledger.balanceOf('acct'));
    expect(await t.ledger.balanceOf('acct')).toBe(100_000_000 - 5_000);
  });

  it('an actual cost above the hold is capped so the account never goes negative', async () => {
    const t = await setup('2026-03-04T10:00:00Z');
    t.setLimit({ limitMicros: null, limitReset: null });
    await t.ledger.append({ accountId: 'acct', type: 'adjustment', amountMicros: -99_999_000 }); // 1 000 µ$ left
    const fresh = new LedgerBilling({
      ledger: t.ledger,
      keyUsage: t.counters,
      keyLimit: () => null,
      isUnmetered: () => false,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const r = await fresh.reserve(t.principal, { requestId: 'big', modelId: 'm', maxCostMicros: 600 });
    await fresh.settle(t.principal, r, { requestId: 'big', modelId: 'm', inputTokens: 1, outputTokens: 1, costMicros: 5_000 });
    expect(await t.ledger.balanceOf('acct')).toBe(0);
    const rows = await t.handle.db.selectFrom('ledger').selectAll().orderBy('id', 'desc').limit(1).execute();
    expect(rows[0]).toMatchObject({ amount_micros: -1_000, cost_micros: 1_000, note: 'capped from 5000 micro-USD' });
    await expect(fresh.reserve(t.principal, { requestId: 'next', modelId: 'm', maxCostMicros: 0 })).rejects.toMatchObject({
      code: 'insufficient_credits',
      message: 'Insufficient credits',
    });
  });

  it('the ledger is append-only', async () => {
    const t = await setup('2026-03-04T10:00:00Z');
    await expect(t.handle.db.updateTable('ledger').set({ amount_micros: 1 }).execute()).rejects.toThrow(/append-only/);
    await expect(t.handle.db.deleteFrom('ledger').execute()).rejects.toThrow(/append-only/);
  });
});
