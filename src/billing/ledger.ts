/**
 * The append-only ledger. Every change of a balance is one row written in the same SQLite
 * transaction as the update of the cached accounts.balance_micros, so the two always agree.
 * Writes are synchronous prepared better-sqlite3 statements, group-committed (group-commit.ts):
 * the entries appended in the same tick share one transaction, and append() resolves once the
 * transaction holding its entry has committed. Reads go through Kysely.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import type { DatabaseHandle } from '../db/client.js';
import type { Database, LedgerTable } from '../db/schema.js';
import { GatewayError } from '../errors.js';
import { GroupCommit, type WriteOptions } from './group-commit.js';

export type LedgerType = LedgerTable['type'];
export type LedgerRow = Selectable<LedgerTable>;

export interface LedgerEntryInput {
  readonly accountId: string;
  readonly type: LedgerType;
  /** Signed: usage negative, grants positive. */
  readonly amountMicros: number;
  readonly costMicros?: number | null;
  readonly keyId?: string | null;
  readonly requestId?: string | null;
  readonly model?: string | null;
  readonly inputTokens?: number | null;
  readonly outputTokens?: number | null;
  readonly note?: string | null;
  /** Refuse the entry if it would leave the balance below zero (default: refuse). */
  readonly allowNegative?: boolean;
}

export type LedgerDatabase = Pick<DatabaseHandle, 'db' | 'sqlite'>;

interface Statements {
  readonly addToBalance: BetterSqlite3.Statement<[number, string], { balance_micros: number }>;
  readonly insert: BetterSqlite3.Statement<
    [string, LedgerType, number, number, number | null, string | null, string | null, string | null, number | null, number | null, string | null, string]
  >;
}

export class Ledger {
  private readonly db: Kysely<Database>;
  private readonly sqlite: BetterSqlite3.Database;
  private readonly writer: GroupCommit;
  private prepared: Statements | null = null;

  constructor(
    database: LedgerDatabase,
    private readonly clock: () => number,
    onCallbackError?: (err: unknown) => void,
  ) {
    this.db = database.db;
    this.sqlite = database.sqlite;
    this.writer = new GroupCommit(database.sqlite, onCallbackError);
  }

  /** Appends one entry; resolves once the transaction holding it has committed. */
  append(entry: LedgerEntryInput, options: WriteOptions<LedgerRow> = {}): Promise<LedgerRow> {
    if (!Number.isSafeInteger(entry.amountMicros)) return Promise.reject(new Error('ledger amounts are integer micro-dollars'));
    return this.writer.submit(() => this.appendNow(entry), options);
  }

  /**
   * A synchronous multi-statement write (promo redemption) in the same group-commit stream as
   * the entries; it may call appendNow(). Throwing rolls back everything it wrote.
   */
  write<T>(write: () => T, options: WriteOptions<T> = {}): Promise<T> {
    return this.writer.submit(write, options);
  }

  /** Only inside append()/write(): the check and the write, no await between them. */
  appendNow(entry: LedgerEntryInput): LedgerRow {
    if (!Number.isSafeInteger(entry.amountMicros)) throw new Error('ledger amounts are integer micro-dollars');
    const s = this.statements();
    const updated = s.addToBalance.get(entry.amountMicros, entry.accountId);
    if (!updated) throw new GatewayError('not_found', 'Account not found');
    const balanceAfter = updated.balance_micros;
    if (balanceAfter < 0 && entry.amountMicros < 0 && !entry.allowNegative) {
      // Throwing rolls the balance update back with the transaction.
      throw new GatewayError(
        'request_invalid',
        `amount: the balance is ${(balanceAfter - entry.amountMicros) / 1e6} USD; a deduction may not make it negative`,
      );
    }
    const row: Omit<LedgerRow, 'id'> = {
      account_id: entry.accountId,
      type: entry.type,
      amount_micros: entry.amountMicros,
      balance_after_micros: balanceAfter,
      cost_micros: entry.costMicros ?? null,
      key_id: entry.keyId ?? null,
      request_id: entry.requestId ?? null,
      model: entry.model ?? null,
      input_tokens: entry.inputTokens ?? null,
      output_tokens: entry.outputTokens ?? null,
      note: entry.note ?? null,
      created_at: new Date(this.clock()).toISOString(),
    };
    const { lastInsertRowid } = s.insert.run(
      row.account_id,
      row.type,
      row.amount_micros,
      row.balance_after_micros,
      row.cost_micros,
      row.key_id,
      row.request_id,
      row.model,
      row.input_tokens,
      row.output_tokens,
      row.note,
      row.created_at,
    );
    return { id: Number(lastInsertRowid), ...row };
  }

  /** Commits whatever is queued now if no other transaction is open (shutdown). */
  flush(): void {
    this.writer.flushNow();
  }

  async balanceOf(accountId: string): Promise<number | null> {
    const row = await this.db.selectFrom('accounts').select('balance_micros').where('id', '=', accountId).executeTakeFirst();
    return row ? row.balance_micros : null;
  }

  /** Sum of the account's ledger amounts; equals the cached balance (checked by tests). */
  async ledgerSum(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom('ledger')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_micros'), eb.lit(0)).as('total'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }

  /** Newest first. */
  async history(accountId: string, page: number, limit: number): Promise<{ rows: LedgerRow[]; total: number }> {
    const rows = await this.db
      .selectFrom('ledger')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('id', 'desc')
      .limit(limit)
      .offset((page - 1) * limit)
      .execute();
    const count = await this.db
      .selectFrom('ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return { rows, total: Number(count.n) };
  }

  /** Usage per model since `since` (ISO). Cost is the computed charge. */
  async usageByModel(
    accountId: string,
    since: string,
  ): Promise<{ model: string; requests: number; inputTokens: number; outputTokens: number; costMicros: number }[]> {
    const rows = await this.db
      .selectFrom('ledger')
      .select((eb) => [
        'model',
        eb.fn.countAll<number>().as('requests'),
        eb.fn.coalesce(eb.fn.sum<number>('input_tokens'), eb.lit(0)).as('input'),
        eb.fn.coalesce(eb.fn.sum<number>('output_tokens'), eb.lit(0)).as('output'),
        eb.fn.coalesce(eb.fn.sum<number>('cost_micros'), eb.lit(0)).as('cost'),
      ])
      .where('account_id', '=', accountId)
      .where('type', '=', 'usage')
      .where('created_at', '>=', since)
      .groupBy('model')
      .orderBy('model')
      .execute();
    return rows.map((r) => ({
      model: r.model ?? 'unknown',
      requests: Number(r.requests),
      inputTokens: Number(r.input),
      outputTokens: Number(r.output),
      costMicros: Number(r.cost),
    }));
  }

  /** Prepared on first use (after the migrations have created the tables). */
  private statements(): Statements {
    this.prepared ??= {
      addToBalance: this.sqlite.prepare<[number, string], { balance_micros: number }>(
        'UPDATE accounts SET balance_micros = balance_micros + ? WHERE id = ? RETURNING balance_micros',
      ),
      insert: this.sqlite.prepare(
        'INSERT INTO ledger (account_id, type, amount_micros, balance_after_micros, cost_micros, key_id, request_id, model, input_tokens, output_tokens, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
    return this.prepared;
  }
}
