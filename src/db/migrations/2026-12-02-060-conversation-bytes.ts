/*
 * Frozen in time: takes Kysely<unknown> and imports no app code.
 * Stored bytes per conversation, so the per-conversation and per-account storage caps
 * (limits.max_conversation_bytes, limits.max_account_bytes) are one indexed read, not a scan.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE conversations SET bytes = (SELECT COALESCE(SUM(LENGTH(CAST(content AS BLOB))), 0) FROM conversation_messages WHERE conversation_id = conversations.id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('bytes').execute();
}
