/**
 * The append-only ledger. Every change of a balance is one row written in the same SQLite
 * transaction as the update of the cached accounts.balance_micros, so the two always agree.
 * Writes go through Kysely (one connection, transactions serialized by its mutex).
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { GatewayError } from '../errors.js';
import type { Database, LedgerTable } from '../db/schema.js';

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

export class Ledger {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => number,
  ) {}

  /** Appends one entry in its own transaction; resolves once it is committed. */
  append(entry: LedgerEntryInput): Promise<LedgerRow> {
    return this.db.transaction().execute((trx) => this.appendIn(trx, entry));
  }

  /** Appends inside a caller's transaction (promo redemption). */
  async appendIn(trx: Transaction<Database>, entry: LedgerEntryInput): Promise<LedgerRow> {
    if (!Number.isSafeInteger(entry.amountMicros)) throw new Error('ledger amounts are integer micro-dollars');
    const account = await trx.selectFrom('accounts').select('balance_micros').where('id', '=', entry.accountId).executeTakeFirst();
    if (!account) throw new GatewayError('not_found', 'Account not found');
    const balanceAfter = account.balance_micros + entry.amountMicros;
    if (balanceAfter < 0 && entry.amountMicros < 0 && !entry.allowNegative) {
      throw new GatewayError('request_invalid', `amount: the balance is ${account.balance_micros / 1e6} USD; a deduction may not make it negative`);
    }
    await trx.updateTable('accounts').set({ balance_micros: balanceAfter }).where('id', '=', entry.accountId).execute();
    return trx
      .insertInto('ledger')
      .values({
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
      })
      .returningAll()
      .executeTakeFirstOrThrow();
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
    const count = await this.db.selectFrom('ledger').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
    return { rows, total: Number(count.n) };
  }

  /** Usage per model since `since` (ISO). Cost is the computed charge. */
  async usageByModel(accountId: string, since: string): Promise<{ model: string; requests: number; inputTokens: number; outputTokens: number; costMicros: number }[]> {
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
    return rows.map((r) => ({ model: r.model ?? 'unknown', requests: Number(r.requests), inputTokens: Number(r.input), outputTokens: Number(r.output), costMicros: Number(r.cost) }));
  }
}
