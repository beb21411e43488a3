/** An API key as the application sees it (the row, decoded). */
import type { Selectable } from 'kysely';
import type { ApiKeysTable } from '../db/schema.js';
import type { Scope } from '../plugins/types.js';

export const ALL_SCOPES: readonly Scope[] = ['chat', 'read', 'keys', 'admin'];
export const DEFAULT_SCOPES: readonly Scope[] = ['chat', 'read'];
export type LimitReset = 'daily' | 'weekly' | 'monthly';
/** `public` keys are browser-safe: completion routes only, from their allowed origins (SPEC §10). */
export type KeyType = 'secret' | 'public';

export interface KeyRecord {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly keyHash: string;
  readonly label: string;
  readonly scopes: readonly Scope[];
  readonly mode: 'live' | 'test';
  readonly disabled: boolean;
  readonly expiresAt: string | null;
  readonly allowedIps: readonly string[] | null;
  readonly rateLimitRpm: number | null;
  readonly limitMicros: number | null;
  readonly limitReset: LimitReset | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly type: KeyType;
  /** Origins (scheme://host[:port]) a public key may be used from; null for secret keys. */
  readonly allowedOrigins: readonly string[] | null;
  /** The key that minted it; null for keys made by an admin, the CLI or at start. */
  readonly parentKeyId: string | null;
}

/** A JSON array column of strings; null (or anything malformed) → null. */
export function parseJsonArray(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null;
  } catch {
    return null;
  }
}

export function keyFromRow(row: Selectable<ApiKeysTable>): KeyRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    keyHash: row.key_hash,
    label: row.label,
    scopes: (parseJsonArray(row.scopes) ?? []).filter((s): s is Scope => (ALL_SCOPES as readonly string[]).includes(s)),
    mode: row.mode === 'test' ? 'test' : 'live',
    disabled: row.disabled === 1,
    expiresAt: row.expires_at,
    allowedIps: parseJsonArray(row.allowed_ips),
    rateLimitRpm: row.rate_limit_rpm,
    limitMicros: row.limit_micros,
    limitReset: row.limit_reset === 'daily' || row.limit_reset === 'weekly' || row.limit_reset === 'monthly' ? row.limit_reset : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    type: row.type === 'public' ? 'public' : 'secret',
    allowedOrigins: parseJsonArray(row.allowed_origins ?? null),
    parentKeyId: row.parent_key_id ?? null,
  };
}
