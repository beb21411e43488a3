/*
 * Frozen in time: takes Kysely<unknown> and imports no app code.
 * The key that minted a key. Spend of a key counts toward the limit (and the rate limit) of every
 * key above it, so a limited key cannot escape its limit through keys it mints and revokes.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('parent_key_id', 'text').execute();
  await db.schema.createIndex('api_keys_parent').on('api_keys').column('parent_key_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('api_keys_parent').execute();
  await db.schema.alterTable('api_keys').dropColumn('parent_key_id').execute();
}
