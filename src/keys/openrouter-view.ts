/**
 * Keys in OpenRouter's response shapes (what @openrouter/sdk validates). OpenRouter's `hash` is
 * our key id: one identifier per key on both APIs, and the SHA-256 we authenticate by never
 * leaves the server. An account is OpenRouter's workspace; BYOK does not exist here (always 0).
 */
import { microsToUsd } from '../billing/price.js';
import type { Principal } from '../plugins/types.js';
import type { KeyRecord } from './key-record.js';
import type { KeyUsageSource } from './key-usage.js';
import { keyMoney } from './key-view.js';

function periodUsage(record: KeyRecord, usage: KeyUsageSource) {
  return {
    usage: microsToUsd(usage.usageMicros(record.id, null)),
    usage_daily: microsToUsd(usage.usageMicros(record.id, 'daily')),
    usage_weekly: microsToUsd(usage.usageMicros(record.id, 'weekly')),
    usage_monthly: microsToUsd(usage.usageMicros(record.id, 'monthly')),
  };
}

const NO_BYOK = { byok_usage: 0, byok_usage_daily: 0, byok_usage_weekly: 0, byok_usage_monthly: 0, include_byok_in_limit: false } as const;

export function openRouterKeyView(record: KeyRecord, usage: KeyUsageSource) {
  const money = keyMoney(record, usage);
  return {
    hash: record.id,
    name: record.name,
    label: record.label,
    disabled: record.disabled,
    limit: money.limit,
    limit_remaining: money.limit_remaining,
    limit_reset: record.limitReset,
    ...periodUsage(record, usage),
    ...NO_BYOK,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    expires_at: record.expiresAt,
    creator_user_id: null,
    external_user: null,
    workspace_id: record.accountId,
  };
}

/** GET /api/v1/key */
export function openRouterCurrentKeyView(principal: Principal, record: KeyRecord | null, usage: KeyUsageSource, defaultRpm: number) {
  const money = record ? keyMoney(record, usage) : { limit: null, limit_remaining: null };
  const usages = record ? periodUsage(record, usage) : { usage: 0, usage_daily: 0, usage_weekly: 0, usage_monthly: 0 };
  const manages = principal.scopes.includes('keys') || principal.scopes.includes('admin');
  return {
    data: {
      label: record?.label ?? (principal.scheme === 'api-key' ? 'admin key (configuration)' : principal.scheme),
      limit: money.limit,
      limit_remaining: money.limit_remaining,
      limit_reset: record?.limitReset ?? null,
      ...usages,
      ...NO_BYOK,
      expires_at: record?.expiresAt ?? null,
      is_free_tier: false,
      is_management_key: manages,
      is_provisioning_key: manages,
      rate_limit: { requests: record?.rateLimitRpm ?? principal.rateLimitRpm ?? defaultRpm, interval: '1m', note: 'requests per minute for this key' },
      free_model_daily_requests: { limit: 0, remaining: 0, used: 0 },
      allowed_data_regions: ['global'],
      creator_user_id: null,
      organization_id: principal.accountId,
      workspace_id: principal.accountId,
    },
  };
}
