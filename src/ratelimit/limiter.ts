/**
 * Per-key rate limits with GCRA (the generic cell rate algorithm, i.e. a token bucket stored as
 * one number: the "theoretical arrival time"). A quota of N per minute lets a fresh key send N
 * requests at once and then one every 60/N seconds: the sustained rate is exact and there is no
 * window boundary at which 2×N get through, unlike a fixed window.
 *
 * Requests per minute are taken at admission. Tokens per minute (optional) are settled after the
 * response from its real usage: a request is admitted while the key's token bucket is not empty,
 * and its prompt + completion tokens are charged when it finishes (the bucket may go into debt,
 * which then delays the next request). Counting at admission would need the parsed body, which
 * the after-auth hook does not see.
 *
 * Principals without a key id (JWT subjects, admin keys from YAML) are limited per account and
 * auth scheme. The store is an interface so a shared backend (Redis, Postgres) can replace the
 * in-memory one for several instances.
 */
import type { Principal } from '../plugins/types.js';

export interface RateQuota {
  /** Units allowed per period (requests or tokens). */
  readonly limit: number;
  readonly periodMs: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  /** Units still available right now (after this decision). */
  readonly remaining: number;
  /** Epoch ms at which the bucket is full again. */
  readonly resetAtMs: number;
  /** When not allowed: how long until the request would be. */
  readonly retryAfterMs: number;
}

/** The one primitive a backend must implement atomically per key. */
export interface RateLimitStore {
  /**
   * Takes `cost` units from `key`'s bucket if they fit (`force`: take them anyway, going into
   * debt). `cost` 0 only reads. Admission needs at least `need` units available (default: cost).
   */
  take(key: string, quota: RateQuota, cost: number, now: number, options?: { readonly force?: boolean; readonly need?: number }): RateDecision;
  /** Number of keys currently held (for tests and diagnostics). */
  size(): number;
}

/** GCRA over a Map; buckets that are full again hold no information and are dropped. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly tats = new Map<string, number>();
  private nextSweepAt = 0;

  constructor(private readonly sweepEveryMs = 60_000) {}

  take(key: string, quota: RateQuota, cost: number, now: number, options: { readonly force?: boolean; readonly need?: number } = {}): RateDecision {
    this.sweep(now);
    const interval = quota.periodMs / quota.limit;
    const tat = Math.max(this.tats.get(key) ?? now, now);
    const need = options.need ?? cost;
    // Would `need` units fit? The bucket is full when tat === now and empty when tat === now + period.
    const fits = tat + need * interval - now <= quota.periodMs + 1e-6;
    if (!fits && !options.force) {
      const retryAfterMs = tat + need * interval - now - quota.periodMs;
      return { allowed: false, limit: quota.limit, remaining: remainingOf(tat, now, interval, quota), resetAtMs: tat, retryAfterMs };
    }
    const next = tat + cost * interval;
    if (next > now) this.tats.set(key, next);
    else this.tats.delete(key);
    return { allowed: fits, limit: quota.limit, remaining: remainingOf(next, now, interval, quota), resetAtMs: next, retryAfterMs: 0 };
  }

  size(): number {
    return this.tats.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.sweepEveryMs;
    for (const [key, tat] of this.tats) if (tat <= now) this.tats.delete(key);
  }
}

function remainingOf(tat: number, now: number, interval: number, quota: RateQuota): number {
  const free = (quota.periodMs - (tat - now)) / interval;
  return Math.max(0, Math.min(quota.limit, Math.floor(free + 1e-9)));
}

export interface RateLimitSettings {
  readonly default_rpm: number;
  readonly default_tpm: number | null;
  /** Requests per minute of public (browser-safe) keys without an override (default 10). */
  readonly public_rpm?: number;
}

/** What the response headers and the usage summary show. `reset` is unix seconds. */
export interface RateLimitStatus {
  readonly limit: number;
  readonly remaining: number;
  readonly reset: number;
}

export interface Admission {
  readonly allowed: boolean;
  readonly requests: RateLimitStatus;
  readonly tokens: RateLimitStatus | null;
  /** Whole seconds, at least 1, when not allowed. */
  readonly retryAfterSeconds: number;
  /** Which limit refused the request. */
  readonly limitedBy: 'requests' | 'tokens' | null;
}

const MINUTE_MS = 60_000;

/** The bucket a principal is counted in: its key, or its account and scheme when it has no key. */
export function rateLimitKey(principal: Principal): string {
  return principal.keyId !== null ? `key:${principal.keyId}` : `account:${principal.scheme}:${principal.accountId}`;
}

function toStatus(decision: RateDecision): RateLimitStatus {
  return { limit: decision.limit, remaining: decision.remaining, reset: Math.ceil(decision.resetAtMs / 1000) };
}

export class RateLimiter {
  constructor(
    private readonly settings: () => RateLimitSettings,
    private readonly clock: () => number,
    private readonly store: RateLimitStore = new MemoryRateLimitStore(),
  ) {}

  private rpmQuota(principal: Principal): RateQuota {
    return { limit: defaultRpmOf(principal, this.settings()), periodMs: MINUTE_MS };
  }

  private tpmQuota(): RateQuota | null {
    const tpm = this.settings().default_tpm;
    return tpm === null ? null : { limit: tpm, periodMs: MINUTE_MS };
  }

  /** Counts one request; refuses it when the key is over its request or token limit. */
  admit(principal: Principal): Admission {
    const key = rateLimitKey(principal);
    const now = this.clock();
    const tpm = this.tpmQuota();
    // Check tokens first (read-only) so a refused request does not also use up a request slot.
    const tokens = tpm ? this.store.take(`${key}:tpm`, tpm, 0, now, { need: 1 }) : null;
    if (tokens && !tokens.allowed) {
      const requests = this.store.take(`${key}:rpm`, this.rpmQuota(principal), 0, now);
      return { allowed: false, requests: toStatus(requests), tokens: toStatus(tokens), retryAfterSeconds: seconds(tokens.retryAfterMs), limitedBy: 'tokens' };
    }
    // A minted key's requests also count toward every key above it (checked first, taken only if all fit).
    const above = (principal.lineage ?? []).map((a) => ({
      bucket: `key:${a.keyId}:rpm`,
      quota: { limit: a.rateLimitRpm ?? this.settings().default_rpm, periodMs: MINUTE_MS },
    }));
    for (const { bucket, quota } of above) {
      const parent = this.store.take(bucket, quota, 0, now, { need: 1 });
      if (!parent.allowed) {
        const requests = this.store.take(`${key}:rpm`, this.rpmQuota(principal), 0, now);
        return {
          allowed: false,
          requests: toStatus(requests),
          tokens: tokens ? toStatus(tokens) : null,
          retryAfterSeconds: seconds(parent.retryAfterMs),
          limitedBy: 'requests',
        };
      }
    }
    const requests = this.store.take(`${key}:rpm`, this.rpmQuota(principal), 1, now);
    if (requests.allowed) for (const { bucket, quota } of above) this.store.take(bucket, quota, 1, now, { force: true });
    return {
      allowed: requests.allowed,
      requests: toStatus(requests),
      tokens: tokens ? toStatus(tokens) : null,
      retryAfterSeconds: requests.allowed ? 0 : seconds(requests.retryAfterMs),
      limitedBy: requests.allowed ? null : 'requests',
    };
  }

  /** Charges a finished request's tokens against the tokens-per-minute limit (if any). */
  settleTokens(principal: Principal, tokens: number): void {
    const tpm = this.tpmQuota();
    if (!tpm || tokens <= 0) return;
    this.store.take(`${rateLimitKey(principal)}:tpm`, tpm, tokens, this.clock(), { force: true });
  }

  /** The principal's request limit right now, without counting anything (for /api/usage/summary). */
  status(principal: Principal): RateLimitStatus {
    return toStatus(this.store.take(`${rateLimitKey(principal)}:rpm`, this.rpmQuota(principal), 0, this.clock()));
  }
}

/** The principal's requests per minute: its own override, else the default of its key type. */
export function defaultRpmOf(principal: Principal, settings: RateLimitSettings): number {
  if (principal.rateLimitRpm !== null) return principal.rateLimitRpm;
  return principal.publicKey ? (settings.public_rpm ?? 10) : settings.default_rpm;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000 - 1e-9));
}
