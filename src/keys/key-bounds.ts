/**
 * "A key never grants what it does not hold": a key made or changed by a non-admin caller stays
 * within the caller's own scopes, mode, credit limit (amount and reset period), rate limit,
 * expiry and allowed IPs. Admin callers are not bounded.
 */
import { microsToUsd } from '../billing/price.js';
import { GatewayError } from '../errors.js';
import type { Scope } from '../plugins/types.js';
import { buildAllowList, ipAllowed } from './ip-allow.js';
import type { KeyRecord, LimitReset } from './key-record.js';

/** What a caller holds. null in a limit field means "no limit of its own". */
export interface CallerBounds {
  readonly scopes: readonly Scope[];
  readonly mode: 'live' | 'test';
  readonly limitMicros: number | null;
  readonly limitReset: LimitReset | null;
  readonly rateLimitRpm: number | null;
  readonly expiresAt: string | null;
  readonly allowedIps: readonly string[] | null;
}

export type BoundedFields = Pick<KeyRecord, 'scopes' | 'mode' | 'limitMicros' | 'limitReset' | 'rateLimitRpm' | 'expiresAt' | 'allowedIps'>;
export type BoundedField = 'scopes' | 'mode' | 'limit' | 'rateLimitRpm' | 'expiresAt' | 'allowedIps';
export const ALL_BOUNDED: readonly BoundedField[] = ['scopes', 'mode', 'limit', 'rateLimitRpm', 'expiresAt', 'allowedIps'];

/** A lifetime limit (null) is the tightest; a daily reset gives the most over time. */
const RESET_RANK: Record<LimitReset | 'never', number> = { never: 0, monthly: 1, weekly: 2, daily: 3 };

const forbidden = (message: string) => new GatewayError('forbidden', message);

/** Scopes the target holds that the caller does not: a caller may not manage such a key at all. */
export function scopesBeyond(held: readonly Scope[], wanted: readonly Scope[]): Scope[] {
  return wanted.filter((s) => !held.includes(s));
}

function ipCovered(bounds: readonly string[], entry: string): boolean {
  if (bounds.includes(entry)) return true;
  if (entry.includes('/')) return false;
  return ipAllowed(buildAllowList(bounds), entry);
}

/** Throws 403 naming the first field of `key` (among `fields`) that goes beyond `bounds`. */
export function assertWithin(bounds: CallerBounds, key: BoundedFields, fields: readonly BoundedField[] = ALL_BOUNDED): void {
  for (const field of fields) {
    switch (field) {
      case 'scopes': {
        const beyond = scopesBeyond(bounds.scopes, key.scopes);
        if (beyond.length > 0) throw forbidden(`scopes: this API key cannot grant the "${beyond[0]}" scope it does not hold`);
        break;
      }
      case 'mode':
        if (bounds.mode === 'test' && key.mode !== 'test') throw forbidden('mode: a test-mode API key can only manage test-mode keys');
        break;
      case 'limit':
        if (bounds.limitMicros === null) break;
        if (key.limitMicros === null || key.limitMicros > bounds.limitMicros) {
          throw forbidden(`limit: cannot exceed this API key's own limit of ${microsToUsd(bounds.limitMicros)} USD`);
        }
        if (RESET_RANK[key.limitReset ?? 'never'] > RESET_RANK[bounds.limitReset ?? 'never']) {
          throw forbidden(`limit_reset: cannot reset more often than this API key's own limit (${bounds.limitReset ?? 'never'})`);
        }
        break;
      case 'rateLimitRpm':
        if (bounds.rateLimitRpm !== null && (key.rateLimitRpm === null || key.rateLimitRpm > bounds.rateLimitRpm)) {
          throw forbidden(`rate_limit_rpm: cannot exceed this API key's own ${bounds.rateLimitRpm} requests per minute`);
        }
        break;
      case 'expiresAt':
        if (bounds.expiresAt !== null && (key.expiresAt === null || Date.parse(key.expiresAt) > Date.parse(bounds.expiresAt))) {
          throw forbidden("expires_at: cannot be later than this API key's own expiry");
        }
        break;
      case 'allowedIps': {
        if (bounds.allowedIps === null || bounds.allowedIps.length === 0) break;
        if (key.allowedIps === null || key.allowedIps.length === 0) throw forbidden("allowed_ips: must stay within this API key's own allowed IPs");
        const outside = key.allowedIps.find((entry) => !ipCovered(bounds.allowedIps ?? [], entry));
        if (outside !== undefined) throw forbidden(`allowed_ips: "${outside}" is outside this API key's own allowed IPs`);
        break;
      }
    }
  }
}
