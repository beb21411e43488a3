/*
 * Frozen in time: takes Kysely<unknown> and imports no app code.
 * Stored Responses API responses (POST /v1/responses with store: true), so a later request can
 * continue from one with previous_response_id and GET /v1/responses/:id can return it.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The conversation up to this response (previous responses' items included), as input items.
    .addColumn('input_items', 'text', (c) => c.notNull())
    // The output items with their sealed reasoning, as the next turn needs them.
    .addColumn('output_items', 'text', (c) => c.notNull())
    // The response object as the client received it.
    .addColumn('response', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('responses_created').on('responses').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('responses').execute();
}
