/** Table types for Kysely. Money columns are integer micro-dollars (`*_micros`). Times are ISO-8601 UTC strings. */
import type { Generated } from 'kysely';

export interface AccountsTable {
  id: string;
  name: string;
  /** Cached balance; updated in the same transaction as every ledger entry. */
  balance_micros: Generated<number>;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  key_hash: string;
  /** Display form, e.g. bkb_a1b2...9f0e — never the full key. */
  label: string;
  /** JSON array of scopes. */
  scopes: string;
  mode: Generated<string>;
  disabled: Generated<number>;
  expires_at: string | null;
  /** JSON array of IPs / CIDRs, or null for any. */
  allowed_ips: string | null;
  rate_limit_rpm: number | null;
  limit_micros: number | null;
  limit_reset: string | null;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
}
