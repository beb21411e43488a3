/** The maintenance jobs on a real migrated SQLite database, with an injected clock. */
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { checkpointAndOptimize, pruneConversations, pruneExpiredPromoCodes, pruneRequestLogs, pruneResponses } from '../../src/jobs/maintenance.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

let handle: DatabaseHandle;
let db: Kysely<unknown>;

beforeEach(async () => {
  handle = openDatabase('sqlite::memory:');
  expect((await migrateToLatest(handle.db)).error).toBeUndefined();
  db = handle.db as unknown as Kysely<unknown>;
});
afterEach(async () => handle.close());

async function count(table: string): Promise<number> {
  const rows = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db);
  return rows.rows[0]!.n;
}

describe('maintenance jobs', () => {
  it('prunes request logs older than the retention period and keeps the ledger', async () => {
    for (const [id, age] of [
      ['old', 31],
      ['edge', 29],
      ['new', 0],
    ] as const) {
      await sql`INSERT INTO request_logs (request_id, account_id, model, category, policy, status, latency_ms, input_tokens, output_tokens, cost_micros, created_at)
        VALUES (${id}, 'default', 'm', 'text', 'fixed', 'ok', 1, 1, 1, 1, ${daysAgo(age)})`.execute(db);
    }
    await sql`INSERT INTO ledger (account_id, type, amount_micros, balance_after_micros, created_at) VALUES ('default', 'grant', 5, 5, ${daysAgo(400)})`.execute(
      db,
    );
    expect(await pruneRequestLogs(db, NOW, 30)).toBe(1);
    expect(await count('request_logs')).toBe(2);
    expect(await count('ledger')).toBe(1);
  });

  it('prunes stored Responses API responses older than retention.responses_days', async () => {
    for (const [id, age] of [
      ['resp_old', 31],
      ['resp_edge', 29],
      ['resp_new', 0],
    ] as const) {
      await sql`INSERT INTO responses (id, account_id, created_at, input_items, output_items, response) VALUES (${id}, 'default', ${daysAgo(age)}, '[]', '[]', '{}')`.execute(
        db,
      );
    }
    expect(await pruneResponses(db, NOW, 30)).toBe(1);
    expect(await count('responses')).toBe(2);
  });

  it('prunes stale conversations with their messages', async () => {
    await sql`INSERT INTO conversations (id, account_id, created_at, updated_at) VALUES ('stale', 'default', ${daysAgo(100)}, ${daysAgo(95)}), ('live', 'default', ${daysAgo(100)}, ${daysAgo(1)})`.execute(
      db,
    );
    await sql`INSERT INTO conversation_messages (conversation_id, role, content, created_at) VALUES ('stale', 'user', 'a', ${daysAgo(95)}), ('live', 'user', 'b', ${daysAgo(1)})`.execute(
      db,
    );
    expect(await pruneConversations(db, NOW, 90)).toBe(1);
    expect(await count('conversations')).toBe(1);
    expect(await count('conversation_messages')).toBe(1);
  });

  it('prunes expired promo codes nobody redeemed, keeps redeemed and current ones', async () => {
    const t = daysAgo(10);
    await sql`INSERT INTO promo_codes (code, credits_micros, expires_at, source, created_at, updated_at) VALUES
      ('EXPIRED', 1, ${daysAgo(1)}, 'admin', ${t}, ${t}), ('REDEEMED', 1, ${daysAgo(1)}, 'admin', ${t}, ${t}), ('CURRENT', 1, ${daysAgo(-5)}, 'admin', ${t}, ${t}), ('FOREVER', 1, NULL, 'admin', ${t}, ${t})`.execute(
      db,
    );
    await sql`INSERT INTO promo_redemptions (code, account_id, ledger_id, created_at) VALUES ('REDEEMED', 'default', 1, ${t})`.execute(db);
    expect(await pruneExpiredPromoCodes(db, NOW)).toBe(1);
    const left = await sql<{ code: string }>`SELECT code FROM promo_codes ORDER BY code`.execute(db);
    expect(left.rows.map((r) => r.code)).toEqual(['CURRENT', 'FOREVER', 'REDEEMED']);
  });

  it('checkpoints the WAL of a file database', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'sb-wal-'));
    const file = openDatabase(`sqlite:${join(dir, 'db.sqlite')}`);
    await migrateToLatest(file.db);
    expect(() => checkpointAndOptimize(file.sqlite)).not.toThrow();
    await file.close();
  });
});
