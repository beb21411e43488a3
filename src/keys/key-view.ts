/** Keys as the seed format (/api/keys, /api/key) shows them: money in USD, never the full key or its hash. */
import { microsToUsd } from '../billing/price.js';
import type { Principal, Scope } from '../plugins/types.js';
import type { KeyRecord, LimitReset } from './key-record.js';
import type { KeyUsageSource } from './key-usage.js';

export interface KeyViewContext {
  readonly usage: KeyUsageSource;
  /** last_used_at including a touch not yet flushed (KeyStore.lastUsedAt). */
  readonly lastUsedAt: (record: KeyRecord) => string | null;
}

export interface SeedKeyView {
  readonly id: string;
  readonly name: string;
  /** The display form (e.g. bkb_a1b2...9f0e), enough to recognise a key, useless to use one. */
  readonly prefix: string;
  readonly account: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly last_used_at: string | null;
  readonly disabled: boolean;
  readonly scopes: readonly Scope[];
  readonly mode: 'live' | 'test';
  readonly limit: number | null;
  /** Spend in the current limit period (whole life when limit_reset is null), USD. */
  readonly usage: number;
  readonly limit_remaining: number | null;
  readonly limit_reset: LimitReset | null;
  readonly expires_at: string | null;
  readonly allowed_ips: readonly string[] | null;
  readonly rate_limit_rpm: number | null;
  /** `secret`, or `public` for a browser-safe key (then allowed_origins lists its origins). */
  readonly type: 'secret' | 'public';
  readonly allowed_origins: readonly string[] | null;
}

export interface KeyMoney {
  readonly usage: number;
  readonly limit: number | null;
  readonly limit_remaining: number | null;
}

export function keyMoney(record: KeyRecord, usage: KeyUsageSource): KeyMoney {
  const used = usage.usageMicros(record.id, record.limitReset);
  return {
    usage: microsToUsd(used),
    limit: record.limitMicros === null ? null : microsToUsd(record.limitMicros),
    limit_remaining: record.limitMicros === null ? null : microsToUsd(Math.max(0, record.limitMicros - used)),
  };
}

export function seedKeyView(record: KeyRecord, ctx: KeyViewContext): SeedKeyView {
  const money = keyMoney(record, ctx.usage);
  return {
    id: record.id,
    name: record.name,
    prefix: record.label,
    account: record.accountId,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    last_used_at: ctx.lastUsedAt(record),
    disabled: record.disabled,
    scopes: record.scopes,
    mode: record.mode,
    limit: money.limit,
    usage: money.usage,
    limit_remaining: money.limit_remaining,
    limit_reset: record.limitReset,
    expires_at: record.expiresAt,
    allowed_ips: record.allowedIps,
    rate_limit_rpm: record.rateLimitRpm,
    type: record.type,
    allowed_origins: record.allowedOrigins,
  };
}

/** GET /api/key: the caller itself; principals that are not stored keys (YAML admin, JWT) have no limits. */
export function selfView(principal: Principal, record: KeyRecord | null, usage: KeyUsageSource, defaultRpm: number) {
  const money: KeyMoney = record ? keyMoney(record, usage) : { usage: 0, limit: null, limit_remaining: null };
  return {
    data: {
      id: record?.id ?? null,
      name: record?.name ?? null,
      label: record?.label ?? (principal.scheme === 'api-key' ? 'admin key (configuration)' : principal.scheme),
      account: principal.accountId,
      ...money,
      limit_reset: record?.limitReset ?? null,
      rate_limit_rpm: record?.rateLimitRpm ?? principal.rateLimitRpm ?? defaultRpm,
      scopes: principal.scopes,
      mode: principal.mode,
      expires_at: record?.expiresAt ?? null,
    },
  };
}
