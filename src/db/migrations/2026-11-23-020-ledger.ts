/* Frozen in time: takes Kysely<unknown> and imports no app code. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Append-only: every change of a balance is one row; balance_after_micros is the account's
  // balance right after this row, so the cached accounts.balance_micros can be checked against it.
  await db.schema
    .createTable('ledger')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type IN ('usage', 'grant', 'promo', 'refund', 'adjustment')`))
    .addColumn('amount_micros', 'integer', (c) => c.notNull())
    .addColumn('balance_after_micros', 'integer', (c) => c.notNull())
    // Usage rows: the computed charge, also when the account is unmetered (amount 0) or the charge was capped.
    .addColumn('cost_micros', 'integer')
    .addColumn('key_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('model', 'text')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_account').on('ledger').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('ledger_account_time').on('ledger').columns(['account_id', 'created_at']).execute();
  await db.schema.createIndex('ledger_key_time').on('ledger').columns(['key_id', 'created_at']).execute();
  await sql`CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END`.execute(db);

  await db.schema
    .createTable('promo_codes')
    .addColumn('code', 'text', (c) => c.primaryKey().modifyEnd(sql`COLLATE NOCASE`))
    .addColumn('credits_micros', 'integer', (c) => c.notNull())
    .addColumn('max_redemptions', 'integer')
    .addColumn('redemptions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('promo_redemptions')
    .addColumn('code', 'text', (c) => c.notNull().modifyEnd(sql`COLLATE NOCASE`))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('ledger_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('promo_redemptions_pk', ['code', 'account_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('promo_redemptions').execute();
  await db.schema.dropTable('promo_codes').execute();
  await db.schema.dropTable('ledger').execute();
}
