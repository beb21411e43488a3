/** ResponseStore on the gateway's Kysely database (one row per response, JSON columns as text). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { JsonValue } from '../formats/canonical.js';
import type { ResponseStore, StoredResponse } from './response-store.js';

function parseArray(text: string): JsonValue[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? (parsed as JsonValue[]) : [];
}

export class SqliteResponseStore implements ResponseStore {
  constructor(private readonly db: Kysely<Database>) {}

  async save(r: StoredResponse): Promise<void> {
    await this.db
      .insertInto('responses')
      .values({
        id: r.id,
        account_id: r.accountId,
        created_at: r.createdAt,
        input_items: JSON.stringify(r.inputItems),
        output_items: JSON.stringify(r.outputItems),
        response: JSON.stringify(r.response),
      })
      .execute();
  }

  async get(id: string, accountId: string): Promise<StoredResponse | undefined> {
    const row = await this.db.selectFrom('responses').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      accountId: row.account_id,
      createdAt: row.created_at,
      inputItems: parseArray(row.input_items),
      outputItems: parseArray(row.output_items),
      response: JSON.parse(row.response) as JsonValue,
    };
  }

  async delete(id: string, accountId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('responses').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
