/* Frozen in time: takes Kysely<unknown> and imports no app code. */
import type { Kysely } from 'kysely';

/** Encrypted provider credentials: AES-256-GCM (nonce / ciphertext / tag, base64) plus the master key's id. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vault_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('vault_secrets').execute();
}
