/** Accounts (teams): every key belongs to one; credits are the cached ledger balance. */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AccountsTable, Database } from '../db/schema.js';
import { GatewayError } from '../errors.js';

export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly balanceMicros: number;
  readonly createdAt: string;
}

export const MAX_ACCOUNT_NAME = 100;

function fromRow(row: Selectable<AccountsTable>): AccountRecord {
  return { id: row.id, name: row.name, balanceMicros: row.balance_micros, createdAt: row.created_at };
}

/** The `name` of a new account: a non-empty string of at most 100 characters. */
export function parseAccountName(body: unknown): string {
  const name = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['name'] : undefined;
  if (typeof name !== 'string' || name.trim() === '') throw new GatewayError('request_invalid', 'name: required, a non-empty string');
  if (name.length > MAX_ACCOUNT_NAME) throw new GatewayError('request_invalid', `name: at most ${MAX_ACCOUNT_NAME} characters`);
  return name.trim();
}

export class AccountService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => number,
  ) {}

  async create(name: string): Promise<AccountRecord> {
    const existing = await this.db.selectFrom('accounts').select('id').where('name', '=', name).executeTakeFirst();
    if (existing) throw new GatewayError('conflict', `An account named "${name}" already exists`);
    const row = { id: randomUUID(), name, balance_micros: 0, created_at: new Date(this.clock()).toISOString() };
    try {
      await this.db.insertInto('accounts').values(row).execute();
    } catch (err) {
      // Two creations racing past the check above: the UNIQUE constraint decides.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new GatewayError('conflict', `An account named "${name}" already exists`);
      throw err;
    }
    return fromRow(row);
  }

  async list(): Promise<AccountRecord[]> {
    const rows = await this.db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(fromRow);
  }

  async get(id: string): Promise<AccountRecord | null> {
    const row = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  /** By id, else by name (the CLI and the `account` field of POST /api/keys accept either). */
  async resolve(idOrName: string): Promise<AccountRecord | null> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .orderBy((eb) => eb.case().when('id', '=', idOrName).then(0).else(1).end())
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }
}
