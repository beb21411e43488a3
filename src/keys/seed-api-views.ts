/** Keys as Kolbo's `/api/api-keys` and Orbit's `/api/v1/settings/api-keys` show them: never the full key or its hash. */
import type { Scope } from '../plugins/types.js';
import type { KeyRecord } from './key-record.js';
import { keyMoney, type KeyViewContext } from './key-view.js';

export function kolboPermissions(scopes: readonly Scope[]): ('read' | 'write')[] {
  const out: ('read' | 'write')[] = [];
  if (scopes.includes('read') || scopes.includes('admin')) out.push('read');
  if (scopes.includes('chat') || scopes.includes('admin')) out.push('write');
  return out;
}

export function kolboKeyView(record: KeyRecord, ctx: KeyViewContext, now: number) {
  return {
    id: record.id,
    keyPrefix: record.label,
    name: record.name,
    permissions: kolboPermissions(record.scopes),
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    lastUsedAt: ctx.lastUsedAt(record),
    isActive: !record.disabled && (record.expiresAt === null || Date.parse(record.expiresAt) > now),
  };
}

/** One key with its usage (USD in the current limit period; the whole life when it has no reset). */
export function kolboKeyDetail(record: KeyRecord, ctx: KeyViewContext, now: number) {
  const money = keyMoney(record, ctx.usage);
  return {
    ...kolboKeyView(record, ctx, now),
    usage: { cost: money.usage, limit: money.limit, limitRemaining: money.limit_remaining, limitReset: record.limitReset },
  };
}

export function orbitKeyView(record: KeyRecord) {
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    scopes: record.scopes,
    mode: record.mode,
    expires_at: record.expiresAt,
    allowed_ips: record.allowedIps,
    allowed_origins: record.allowedOrigins,
    prefix: record.label,
    created_at: record.createdAt,
  };
}
