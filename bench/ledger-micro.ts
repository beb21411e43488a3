/**
 * Micro-benchmark of one charge on a temp file database (WAL, synchronous=NORMAL, as in production):
 *   before — the previous path: a Kysely transaction per charge (BEGIN, SELECT, UPDATE,
 *            INSERT…RETURNING, COMMIT) on the connection mutex;
 *   after  — Ledger.append / LedgerBilling.reserve+settle: prepared statements, group commit.
 * Reports wall-clock and CPU µs per charge, sequential (one at a time) and 32 concurrent.
 * Run: npx tsx bench/ledger-micro.ts [charges per round, default 4000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerBilling } from '../src/billing/ledger-billing.js';
import { Ledger, type LedgerEntryInput } from '../src/billing/ledger.js';
import { KeyUsageCounters } from '../src/billing/usage-windows.js';
import { openDatabase } from '../src/db/client.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import type { Kysely } from 'kysely';
import type { Principal } from '../src/plugins/types.js';

const N = Number(process.argv[2] ?? 4000);
const ROUNDS = 3;
const CONCURRENCY = 32;

/** The ledger write as it was before (src/billing/ledger.ts at fbcb27f). */
function oldAppend(db: Kysely<Database>, entry: LedgerEntryInput) {
  return db.transaction().execute(async (trx) => {
    const account = await trx.selectFrom('accounts').select('balance_micros').where('id', '=', entry.accountId).executeTakeFirstOrThrow();
    const balanceAfter = account.balance_micros + entry.amountMicros;
    await trx.updateTable('accounts').set({ balance_micros: balanceAfter }).where('id', '=', entry.accountId).execute();
    return trx
      .insertInto('ledger')
      .values({
        account_id: entry.accountId,
        type: entry.type,
        amount_micros: entry.amountMicros,
        balance_after_micros: balanceAfter,
        cost_micros: entry.costMicros ?? null,
        key_id: entry.keyId ?? null,
        request_id: entry.requestId ?? null,
        model: entry.model ?? null,
        input_tokens: entry.inputTokens ?? null,
        output_tokens: entry.outputTokens ?? null,
        note: entry.note ?? null,
        created_at: new Date().toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

async function measure(label: string, charge: (i: number) => Promise<unknown>, concurrency: number): Promise<void> {
  const run = async (count: number, offset: number) => {
    if (concurrency === 1) for (let i = 0; i < count; i++) await charge(offset + i);
    else
      for (let i = 0; i < count; i += concurrency)
        await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, (_, j) => charge(offset + i + j)));
  };
  await run(500, 0); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await run(N, (r + 1) * N);
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e3;
    const used = process.cpuUsage(c0);
    wall.push(elapsed / N);
    cpu.push((used.user + used.system) / N);
  }
  const fmt = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
  console.log(`| ${label} | ${concurrency} | ${fmt(wall)} | ${fmt(cpu)} |`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-ledger-micro-'));
  const handle = openDatabase(`sqlite:${join(dir, 'bench.db')}`);
  try {
    const migrated = await migrateToLatest(handle.db);
    if (migrated.error) throw migrated.error;
    const now = new Date().toISOString();
    for (const id of ['old', 'new', 'port']) await handle.db.insertInto('accounts').values({ id, name: id, created_at: now }).execute();
    const ledger = new Ledger(handle, Date.now);
    const billing = new LedgerBilling({
      ledger,
      keyUsage: new KeyUsageCounters(Date.now),
      keyLimit: () => ({ limitMicros: null, limitReset: null }),
      isUnmetered: () => false,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    await billing.credit({ accountId: 'port', type: 'grant', amountMicros: 1e12 });
    const principal: Principal = { accountId: 'port', keyId: 'k1', scopes: ['chat'], mode: 'live', rateLimitRpm: null, scheme: 'api-key' };
    const usage = (accountId: string, i: number): LedgerEntryInput => ({
      accountId,
      type: 'usage',
      amountMicros: -1_234,
      costMicros: 1_234,
      keyId: 'k1',
      requestId: `req-${i}`,
      model: 'mock-fast',
      inputTokens: 12,
      outputTokens: 34,
      allowNegative: true,
    });

    console.log(`${N} charges per round, best–worst of ${ROUNDS} rounds; Node ${process.version}; temp file DB (WAL, synchronous=NORMAL)\n`);
    console.log('| path | concurrency | wall µs/charge | CPU µs/charge |');
    console.log('| --- | --: | --: | --: |');
    for (const c of [1, CONCURRENCY]) {
      await measure('before: Kysely transaction per charge', (i) => oldAppend(handle.db, usage('old', i)), c);
      await measure('after: Ledger.append (group commit)', (i) => ledger.append(usage('new', i)), c);
      await measure(
        'after: LedgerBilling reserve + settle',
        async (i) => {
          const r = await billing.reserve(principal, { requestId: `p${i}`, modelId: 'mock-fast', maxCostMicros: 2_000 });
          await billing.settle(principal, r, { requestId: `p${i}`, modelId: 'mock-fast', inputTokens: 12, outputTokens: 34, costMicros: 1_234 });
        },
        c,
      );
    }
    for (const id of ['old', 'new', 'port']) {
      const sum = await ledger.ledgerSum(id);
      const balance = await ledger.balanceOf(id);
      if (sum !== balance) throw new Error(`ledger sum ${sum} != balance ${balance} for ${id}`);
    }
  } finally {
    await handle.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
