/**
 * Promo codes: seeded from YAML (upsert by code at start and reload) or created by an admin.
 * A redemption is one transaction (count, redemption row, ledger entry) guarded by the
 * (code, account) primary key and a conditional counter update, so concurrent redeems can
 * neither redeem twice per account nor exceed max_redemptions.
 */
import type { Kysely, Selectable } from 'kysely';
import type { PromoCodeConfig } from '../config/types.js';
import type { Database, PromoCodesTable } from '../db/schema.js';
import { GatewayError } from '../errors.js';
import type { Ledger, LedgerRow } from './ledger.js';
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

export class PromoCodes {
  private seeded: readonly PromoCodeConfig[] | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ledger: Ledger,
    private readonly onCommitted: (row: LedgerRow) => void,
    private readonly clock: () => number,
    /** The YAML codes of the current config (a new array after a reload). */
    private readonly configured: () => readonly PromoCodeConfig[] = () => [],
  ) {}

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
      const values = { credits_micros: usdToMicros(c.credits), max_redemptions: c.max_redemptions ?? null, expires_at: c.expires_at ? new Date(c.expires_at).toISOString() : null, updated_at: now };
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
        .values({ code: input.code, credits_micros: input.creditsMicros, max_redemptions: input.maxRedemptions, expires_at: input.expiresAt, source: 'admin', created_at: now, updated_at: now })
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

  /** Adds the code's credits to the account; returns the ledger row. */
  async redeem(accountId: string, code: string): Promise<LedgerRow> {
    await this.sync();
    const now = this.clock();
    let row: LedgerRow;
    try {
      row = await this.db.transaction().execute(async (trx) => {
        const promo = await trx.selectFrom('promo_codes').selectAll().where('code', '=', code).executeTakeFirst();
        if (!promo) throw new GatewayError('request_invalid', 'code: unknown promo code');
        if (promo.expires_at !== null && Date.parse(promo.expires_at) <= now) throw new GatewayError('request_invalid', 'code: this promo code has expired');
        const already = await trx.selectFrom('promo_redemptions').select('code').where('code', '=', promo.code).where('account_id', '=', accountId).executeTakeFirst();
        if (already) throw new GatewayError('conflict', 'This promo code was already redeemed by this account');
        const counted = await trx
          .updateTable('promo_codes')
          .set((eb) => ({ redemptions: eb('redemptions', '+', 1) }))
          .where('code', '=', promo.code)
          .where((eb) => eb.or([eb('max_redemptions', 'is', null), eb('redemptions', '<', eb.ref('max_redemptions'))]))
          .executeTakeFirst();
        if (Number(counted.numUpdatedRows) === 0) throw new GatewayError('request_invalid', 'code: this promo code has been fully redeemed');
        const entry = await this.ledger.appendIn(trx, { accountId, type: 'promo', amountMicros: promo.credits_micros, note: `promo ${promo.code}` });
        await trx.insertInto('promo_redemptions').values({ code: promo.code, account_id: accountId, ledger_id: entry.id, created_at: entry.created_at }).execute();
        return entry;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new GatewayError('conflict', 'This promo code was already redeemed by this account');
      throw err;
    }
    this.onCommitted(row);
    return row;
  }
}
