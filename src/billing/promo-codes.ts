/**
 * Promo codes: seeded from YAML (upsert by code at start and reload) or created by an admin.
 * A redemption is one synchronous write in the ledger's group-commit stream (count, redemption
 * row, ledger entry; no await between the checks and the writes), also guarded by the
 * (code, account) primary key and a conditional counter update, so concurrent redeems can
 * neither redeem twice per account nor exceed max_redemptions.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import type { PromoCodeConfig } from '../config/types.js';
import type { Database, PromoCodesTable } from '../db/schema.js';
import { GatewayError } from '../errors.js';
import type { Ledger, LedgerDatabase, LedgerRow } from './ledger.js';
import { usdToMicros } from './price.js';

export type PromoCodeRow = Selectable<PromoCodesTable>;

export interface NewPromoCode {
  readonly code: string;
  readonly creditsMicros: number;
  readonly maxRedemptions: number | null;
  readonly expiresAt: string | null;
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT');
}

interface RedeemStatements {
  readonly find: BetterSqlite3.Statement<[string], PromoCodeRow>;
  readonly redeemed: BetterSqlite3.Statement<[string, string], { code: string }>;
  readonly count: BetterSqlite3.Statement<[string]>;
  readonly record: BetterSqlite3.Statement<[string, string, number, string]>;
}

export class PromoCodes {
  private seeded: readonly PromoCodeConfig[] | undefined;
  private readonly db: Kysely<Database>;
  private prepared: RedeemStatements | null = null;

  constructor(
    private readonly database: LedgerDatabase,
    private readonly ledger: Ledger,
    private readonly onCommitted: (row: LedgerRow) => void,
    private readonly clock: () => number,
    /** The YAML codes of the current config (a new array after a reload). */
    private readonly configured: () => readonly PromoCodeConfig[] = () => [],
  ) {
    this.db = database.db;
  }

  /** Seeds the YAML codes if the config changed since the last seeding (start, reload). */
  async sync(): Promise<void> {
    const codes = this.configured();
    if (codes === this.seeded) return;
    await this.seed(codes);
    this.seeded = codes;
  }

  /** Upserts the YAML codes; codes removed from YAML stay (their redemptions are history). */
  async seed(codes: readonly PromoCodeConfig[]): Promise<void> {
    const now = new Date(this.clock()).toISOString();
    for (const c of codes) {
      const values = {
        credits_micros: usdToMicros(c.credits),
        max_redemptions: c.max_redemptions ?? null,
        expires_at: c.expires_at ? new Date(c.expires_at).toISOString() : null,
        updated_at: now,
      };
      await this.db
        .insertInto('promo_codes')
        .values({ code: c.code, ...values, source: 'yaml', created_at: now })
        .onConflict((oc) => oc.column('code').doUpdateSet(values))
        .execute();
    }
  }

  async create(input: NewPromoCode): Promise<PromoCodeRow> {
    await this.sync();
    const now = new Date(this.clock()).toISOString();
    try {
      return await this.db
        .insertInto('promo_codes')
        .values({
          code: input.code,
          credits_micros: input.creditsMicros,
          max_redemptions: input.maxRedemptions,
          expires_at: input.expiresAt,
          source: 'admin',
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (err) {
      if (isUniqueViolation(err)) throw new GatewayError('conflict', `Promo code "${input.code}" already exists`);
      throw err;
    }
  }

  async list(): Promise<PromoCodeRow[]> {
    await this.sync();
    return this.db.selectFrom('promo_codes').selectAll().orderBy('created_at').orderBy('code').execute();
  }

  /** Adds the code's credits to the account; returns the ledger row once committed. */
  async redeem(accountId: string, code: string): Promise<LedgerRow> {
    await this.sync();
    const now = this.clock();
    try {
      return await this.ledger.write(() => this.redeemNow(accountId, code, now), { onCommit: this.onCommitted });
    } catch (err) {
      if (isUniqueViolation(err)) throw new GatewayError('conflict', 'This promo code was already redeemed by this account');
      throw err;
    }
  }

  /** Inside the ledger's write transaction: a throw rolls back the counter and the entry. */
  private redeemNow(accountId: string, code: string, now: number): LedgerRow {
    const s = this.statements();
    const promo = s.find.get(code);
    if (!promo) throw new GatewayError('request_invalid', 'code: unknown promo code');
    if (promo.expires_at !== null && Date.parse(promo.expires_at) <= now) throw new GatewayError('request_invalid', 'code: this promo code has expired');
    if (s.redeemed.get(promo.code, accountId)) throw new GatewayError('conflict', 'This promo code was already redeemed by this account');
    if (s.count.run(promo.code).changes === 0) throw new GatewayError('request_invalid', 'code: this promo code has been fully redeemed');
    const entry = this.ledger.appendNow({ accountId, type: 'promo', amountMicros: promo.credits_micros, note: `promo ${promo.code}` });
    s.record.run(promo.code, accountId, entry.id, entry.created_at);
    return entry;
  }

  private statements(): RedeemStatements {
    const sqlite = this.database.sqlite;
    this.prepared ??= {
      find: sqlite.prepare<[string], PromoCodeRow>('SELECT * FROM promo_codes WHERE code = ?'),
      redeemed: sqlite.prepare<[string, string], { code: string }>('SELECT code FROM promo_redemptions WHERE code = ? AND account_id = ?'),
      count: sqlite.prepare<[string]>(
        'UPDATE promo_codes SET redemptions = redemptions + 1 WHERE code = ? AND (max_redemptions IS NULL OR redemptions < max_redemptions)',
      ),
      record: sqlite.prepare<[string, string, number, string]>('INSERT INTO promo_redemptions (code, account_id, ledger_id, created_at) VALUES (?, ?, ?, ?)'),
    };
    return this.prepared;
  }
}
