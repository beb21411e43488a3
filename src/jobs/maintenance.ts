/**
 * The periodic maintenance jobs. Each is a plain async function of (db, now) so tests run it with
 * an injected clock; scheduler.ts only wires them to node-cron. Credit-limit resets need no job:
 * the current window is derived from the clock, so a reset missed while the server was down still
 * applies (see src/billing).
 */
import { sql, type Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';

const DAY_MS = 86_400_000;

async function tableExists(db: Kysely<unknown>, name: string): Promise<boolean> {
  const rows = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ${name}`.execute(db);
  return rows.rows.length > 0;
}

/** Deletes request logs older than the retention period. The ledger is never pruned. */
export async function pruneRequestLogs(db: Kysely<unknown>, now: number, days: number): Promise<number> {
  if (!(await tableExists(db, 'request_logs'))) return 0;
  const cutoff = new Date(now - days * DAY_MS).toISOString();
  const result = await sql`DELETE FROM request_logs WHERE created_at < ${cutoff}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Deletes conversations (and their messages) untouched for the retention period. */
export async function pruneConversations(db: Kysely<unknown>, now: number, days: number): Promise<number> {
  if (!(await tableExists(db, 'conversations'))) return 0;
  const cutoff = new Date(now - days * DAY_MS).toISOString();
  return db.transaction().execute(async (trx) => {
    if (await tableExists(trx, 'conversation_messages')) {
      await sql`DELETE FROM conversation_messages WHERE conversation_id IN (SELECT id FROM conversations WHERE updated_at < ${cutoff})`.execute(trx);
    }
    const result = await sql`DELETE FROM conversations WHERE updated_at < ${cutoff}`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
}

/** Deletes stored Responses API responses older than the retention period. */
export async function pruneResponses(db: Kysely<unknown>, now: number, days: number): Promise<number> {
  if (!(await tableExists(db, 'responses'))) return 0;
  const cutoff = new Date(now - days * DAY_MS).toISOString();
  const result = await sql`DELETE FROM responses WHERE created_at < ${cutoff}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Deletes expired promo codes nobody redeemed (redeemed ones stay: the ledger refers to them). */
export async function pruneExpiredPromoCodes(db: Kysely<unknown>, now: number): Promise<number> {
  if (!(await tableExists(db, 'promo_codes'))) return 0;
  const nowIso = new Date(now).toISOString();
  const hasRedemptions = await tableExists(db, 'promo_redemptions');
  const result = hasRedemptions
    ? await sql`DELETE FROM promo_codes WHERE expires_at IS NOT NULL AND expires_at < ${nowIso} AND code NOT IN (SELECT code FROM promo_redemptions)`.execute(
        db,
      )
    : await sql`DELETE FROM promo_codes WHERE expires_at IS NOT NULL AND expires_at < ${nowIso}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Folds the WAL back into the database file and refreshes the query planner's statistics. */
export function checkpointAndOptimize(sqlite: BetterSqlite3.Database): void {
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('optimize');
}
