/*
 * Frozen in time: takes Kysely<unknown> and imports no app code.
 * Browser-safe ("public") keys: a key type, and the browser origins a public key may be used from.
 * Existing keys are secret keys.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_keys')
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('secret'))
    .execute();
  // JSON array of origins (scheme://host[:port]); null for secret keys.
  await db.schema.alterTable('api_keys').addColumn('allowed_origins', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('allowed_origins').execute();
  await db.schema.alterTable('api_keys').dropColumn('type').execute();
}
