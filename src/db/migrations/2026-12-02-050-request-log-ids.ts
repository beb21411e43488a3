/*
 * Frozen in time: takes Kysely<unknown> and imports no app code.
 * request_logs rows get a server-generated key. The request id a client may send (X-Request-Id)
 * was the primary key, so another account reusing an id collided with (or blocked) the first
 * one's row; it stays as a correlation column, looked up per account.
 */
import { sql, type Kysely } from 'kysely';

const COLUMNS =
  'request_id, account_id, key_id, model, category, policy, status, latency_ms, input_tokens, output_tokens, cost_micros, created_at, feedback_score';

async function createTable(db: Kysely<unknown>, name: string, withServerId: boolean): Promise<void> {
  let table = db.schema.createTable(name);
  table = withServerId
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()).addColumn('request_id', 'text', (c) => c.notNull())
    : table.addColumn('request_id', 'text', (c) => c.primaryKey());
  await table
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('input_tokens', 'integer', (c) => c.notNull())
    .addColumn('output_tokens', 'integer', (c) => c.notNull())
    .addColumn('cost_micros', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('feedback_score', 'real')
    .execute();
}

async function createIndexes(db: Kysely<unknown>, perAccountRequest: boolean): Promise<void> {
  await db.schema.createIndex('request_logs_created').on('request_logs').column('created_at').execute();
  await db.schema.createIndex('request_logs_account').on('request_logs').columns(['account_id', 'created_at']).execute();
  if (perAccountRequest) await db.schema.createIndex('request_logs_account_request').on('request_logs').columns(['account_id', 'request_id']).execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'request_logs_next', true);
  await sql.raw(`INSERT INTO request_logs_next (${COLUMNS}) SELECT ${COLUMNS} FROM request_logs ORDER BY created_at`).execute(db);
  await db.schema.dropTable('request_logs').execute();
  await db.schema.alterTable('request_logs_next').renameTo('request_logs').execute();
  await createIndexes(db, true);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'request_logs_prev', false);
  // Per-account duplicates of an id cannot share the old primary key: the first row wins.
  await sql.raw(`INSERT OR IGNORE INTO request_logs_prev (${COLUMNS}) SELECT ${COLUMNS} FROM request_logs ORDER BY id`).execute(db);
  await db.schema.dropTable('request_logs').execute();
  await db.schema.alterTable('request_logs_prev').renameTo('request_logs').execute();
  await createIndexes(db, false);
}
