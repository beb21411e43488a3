/**
 * BillingPort over the ledger. Reservations live in memory: Node runs one callback at a time and
 * the check-and-hold in reserve() has no await inside it, so concurrent requests in this process
 * can never hold more than an account's balance or a key's remaining limit. The committed charge
 * is a ledger row, group-committed with the charges of the same tick before settle() resolves;
 * in-flight holds vanish with the process, which is fine because they were never charged.
 */
import { GatewayError } from '../errors.js';
import type { ActualCharge, BillingPort, ChargeEstimate, Reservation } from '../gateway/billing-port.js';
import type { LimitReset } from '../keys/key-record.js';
import type { Logger, Principal } from '../plugins/types.js';
import type { Ledger, LedgerEntryInput, LedgerRow } from './ledger.js';
import type { KeyUsageCounters } from './usage-windows.js';

export interface KeyLimit {
  readonly limitMicros: number | null;
  readonly limitReset: LimitReset | null;
}

export interface LedgerBillingOptions {
  readonly ledger: Ledger;
  readonly keyUsage: KeyUsageCounters;
  /** The key's current credit limit (read per request so a PATCH applies at once). */
  readonly keyLimit: (keyId: string) => KeyLimit | null | Promise<KeyLimit | null>;
  /** Accounts whose requests are recorded but never charged nor blocked by balance (billing.unmetered_accounts). */
  readonly isUnmetered: (accountId: string) => boolean;
  readonly logger: Logger;
}

/** A key whose limit a request is held against: the calling key, then the keys that minted it. */
interface HeldKey {
  readonly keyId: string;
  readonly limit: KeyLimit | null;
}

interface Hold {
  readonly accountId: string;
  /** The calling key first, then its lineage (empty for principals that are not keys). */
  readonly keys: readonly HeldKey[];
  /** Held until the commit; during settle() it is the amount being charged. */
  micros: number;
}

interface AccountState {
  balance: number;
  reserved: number;
}

const NOT_HELD = 'unmetered:';

function heldKeys(ids: readonly string[], limits: readonly (KeyLimit | null)[]): HeldKey[] {
  return ids.map((keyId, i) => ({ keyId, limit: limits[i] ?? null }));
}

function describeLimit(limit: KeyLimit & { limitMicros: number }): string {
  const usd = limit.limitMicros / 1e6;
  return limit.limitReset ? `${usd} USD per ${limit.limitReset === 'daily' ? 'day' : limit.limitReset === 'weekly' ? 'week' : 'month'}` : `${usd} USD`;
}

export class LedgerBilling implements BillingPort {
  private readonly holds = new Map<string, Hold>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly keyHeld = new Map<string, number>();
  private seq = 0;

  constructor(private readonly options: LedgerBillingOptions) {}

  /**
   * Pure memory when the account's balance is cached and the key limit comes from the key cache
   * (a plain value, not a promise): the check and the hold are one synchronous step. Otherwise
   * the balance (once per account) and the limit are loaded first.
   */
  reserve(principal: Principal, estimate: ChargeEstimate): Promise<Reservation> | Reservation {
    if (principal.mode === 'test') return { id: `${NOT_HELD}${++this.seq}` };
    const { accountId } = principal;
    // Spend of a minted key counts toward the limit of every key above it.
    const ids = principal.keyId === null ? [] : [principal.keyId, ...(principal.lineage ?? []).map((a) => a.keyId)];
    const limits = ids.map((id) => this.options.keyLimit(id));
    if (limits.some((l) => l instanceof Promise) || !this.accounts.has(accountId)) return this.reserveAfterLoading(principal, estimate, ids, limits);
    try {
      return this.hold(accountId, heldKeys(ids, limits as (KeyLimit | null)[]), estimate);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Resolves once the charge is committed. The write is group-committed with the other charges of
   * the same tick; the cached balance, the key's usage counters and the hold are updated right
   * after that commit, in ledger order, before any other callback runs.
   */
  async settle(principal: Principal, reservation: Reservation, charge: ActualCharge): Promise<void> {
    const hold = this.holds.get(reservation.id);
    if (!hold) return;
    try {
      const entry = this.usageEntry(hold, charge);
      await this.options.ledger.append(entry, {
        onCommit: (row) => {
          this.committed(row);
          if (entry.costMicros) for (const { keyId } of hold.keys) this.options.keyUsage.add(keyId, entry.costMicros);
          this.drop(reservation.id);
        },
      });
    } finally {
      this.drop(reservation.id);
    }
  }

  release(_principal: Principal, reservation: Reservation): void {
    this.drop(reservation.id);
  }

  /** Synchronous like hold(): the check of the increase and the new hold are one step. */
  resize(_principal: Principal, reservation: Reservation, maxCostMicros: number): void {
    const hold = this.holds.get(reservation.id);
    if (!hold) return;
    const micros = Math.max(0, Math.ceil(maxCostMicros));
    const increase = micros - hold.micros;
    if (increase > 0) {
      const account = this.accounts.get(hold.accountId) ?? { balance: 0, reserved: 0 };
      if (!this.options.isUnmetered(hold.accountId) && account.balance - account.reserved < increase) {
        throw new GatewayError('insufficient_credits', 'Insufficient credits');
      }
      this.assertKeyRoom(hold.keys, increase);
    }
    this.rehold(hold, micros);
  }

  /** Appends a non-usage entry (grant, promo, adjustment…) and keeps the cached balance current. */
  credit(entry: LedgerEntryInput): Promise<LedgerRow> {
    return this.options.ledger.append(entry, { onCommit: (row) => this.committed(row) });
  }

  /** After a committed row: the latest committed balance (commits are serialized) wins. */
  committed(row: Pick<LedgerRow, 'account_id' | 'balance_after_micros'>): void {
    const account = this.accounts.get(row.account_id);
    if (account) account.balance = row.balance_after_micros;
    else this.accounts.set(row.account_id, { balance: row.balance_after_micros, reserved: 0 });
  }

  /** Micro-dollars currently held by in-flight requests of an account (for views). */
  reservedMicros(accountId: string): number {
    return this.accounts.get(accountId)?.reserved ?? 0;
  }

  private usageEntry(hold: Hold, charge: ActualCharge): LedgerEntryInput {
    const unmetered = this.options.isUnmetered(hold.accountId);
    let cost = Math.max(0, Math.round(charge.costMicros));
    // Actual above the hold (a provider reporting more tokens than estimated): never let that
    // push the account or the key below zero; the shortfall is noted on the row and logged.
    let cap = Infinity;
    const account = this.accounts.get(hold.accountId);
    if (!unmetered && account) cap = Math.min(cap, Math.max(0, account.balance - (account.reserved - hold.micros)));
    for (const { keyId, limit } of hold.keys) {
      if (!limit || limit.limitMicros === null) continue;
      const used = this.options.keyUsage.usageMicros(keyId, limit.limitReset);
      const others = (this.keyHeld.get(keyId) ?? 0) - hold.micros;
      cap = Math.min(cap, Math.max(0, limit.limitMicros - used - others));
    }
    let note: string | null = null;
    if (cost > cap) {
      this.options.logger.warn(
        { event: 'charge_capped', requestId: charge.requestId, costMicros: cost, chargedMicros: cap },
        'a charge exceeded what the account or key had left; capped',
      );
      note = `capped from ${cost} micro-USD`;
      cost = cap;
    }
    // Hold exactly what is being charged until the commit, so a concurrent settle sees it.
    this.rehold(hold, cost);
    return {
      accountId: hold.accountId,
      type: 'usage',
      amountMicros: unmetered ? 0 : -cost,
      costMicros: cost,
      keyId: hold.keys[0]?.keyId ?? null,
      requestId: charge.requestId,
      model: charge.modelId,
      inputTokens: charge.inputTokens,
      outputTokens: charge.outputTokens,
      note: note ?? (unmetered ? 'unmetered account' : null),
      // The cap above keeps usage non-negative; never refuse (and so lose) a committed charge.
      allowNegative: true,
    };
  }

  private async reserveAfterLoading(
    principal: Principal,
    estimate: ChargeEstimate,
    ids: readonly string[],
    pending: readonly (KeyLimit | null | Promise<KeyLimit | null>)[],
  ): Promise<Reservation> {
    const limits = await Promise.all(pending);
    await this.ensureLoaded(principal.accountId);
    return this.hold(principal.accountId, heldKeys(ids, limits), estimate);
  }

  /** Synchronous, so the check and the hold are one atomic step. */
  private hold(accountId: string, keys: readonly HeldKey[], estimate: ChargeEstimate): Reservation {
    const account = this.accounts.get(accountId) ?? { balance: 0, reserved: 0 };
    const micros = Math.max(0, Math.ceil(estimate.maxCostMicros));
    if (!this.options.isUnmetered(accountId) && (account.balance <= 0 || account.balance - account.reserved < micros)) {
      throw new GatewayError('insufficient_credits', 'Insufficient credits');
    }
    this.assertKeyRoom(keys, micros);
    const id = `r${++this.seq}`;
    this.holds.set(id, { accountId, keys, micros });
    account.reserved += micros;
    this.accounts.set(accountId, account);
    for (const { keyId } of keys) this.keyHeld.set(keyId, (this.keyHeld.get(keyId) ?? 0) + micros);
    return { id };
  }

  /** Each limited key (the caller's, then those above it) has room for `micros` more. */
  private assertKeyRoom(keys: readonly HeldKey[], micros: number): void {
    keys.forEach(({ keyId, limit }, i) => {
      if (!limit || limit.limitMicros === null) return;
      const used = this.options.keyUsage.usageMicros(keyId, limit.limitReset);
      const held = this.keyHeld.get(keyId) ?? 0;
      if (used >= limit.limitMicros || used + held + micros > limit.limitMicros) {
        const whose = i === 0 ? "this API key's credit limit" : 'the credit limit of the API key that created this key';
        throw new GatewayError('key_limit_reached', `Key limit reached: ${whose} of ${describeLimit({ ...limit, limitMicros: limit.limitMicros })} is used up`);
      }
    });
  }

  private rehold(hold: Hold, micros: number): void {
    const delta = micros - hold.micros;
    const account = this.accounts.get(hold.accountId);
    if (account) account.reserved += delta;
    for (const { keyId } of hold.keys) this.keyHeld.set(keyId, (this.keyHeld.get(keyId) ?? 0) + delta);
    hold.micros = micros;
  }

  private async ensureLoaded(accountId: string): Promise<void> {
    if (this.accounts.has(accountId)) return;
    const balance = await this.options.ledger.balanceOf(accountId);
    // A commit that finished while we read has already set the newer balance.
    if (!this.accounts.has(accountId)) this.accounts.set(accountId, { balance: balance ?? 0, reserved: 0 });
  }

  private drop(id: string): void {
    const hold = this.holds.get(id);
    if (!hold) return;
    this.holds.delete(id);
    const account = this.accounts.get(hold.accountId);
    if (account) account.reserved -= hold.micros;
    for (const { keyId } of hold.keys) {
      const left = (this.keyHeld.get(keyId) ?? 0) - hold.micros;
      if (left > 0) this.keyHeld.set(keyId, left);
      else this.keyHeld.delete(keyId);
    }
  }
}
