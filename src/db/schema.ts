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
  /** `secret` (default) or `public` (browser-safe: completion routes only, from allowed origins). */
  type: Generated<string>;
  /** JSON array of origins a public key may be used from; null for secret keys. */
  allowed_origins: string | null;
  /** The key that minted this one (its limit and rate limit also apply to this key's use). */
  parent_key_id: string | null;
}

/** One encrypted vault entry (AES-256-GCM; base64 columns). The plaintext is never stored. */
export interface VaultSecretsTable {
  name: string;
  version: number;
  /** Fingerprint of the master key it was encrypted under. */
  key_id: string;
  nonce: string;
  ciphertext: string;
  tag: string;
  created_at: string;
  updated_at: string;
}

export interface ConversationsTable {
  id: string;
  account_id: string;
  title: string | null;
  /** UTF-8 bytes of its stored messages (the storage caps read this). */
  bytes: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ConversationMessagesTable {
  id: Generated<number>;
  conversation_id: string;
  /** user | assistant */
  role: string;
  content: string;
  created_at: string;
}

/** One row per completed request (written in batches); /api/feedback looks requests up here. */
export interface RequestLogsTable {
  /** Server-generated; rows are never keyed by what a client sent. */
  id: Generated<number>;
  /** The request id (a client's X-Request-Id when well-formed): a correlation id, unique only per account at best. */
  request_id: string;
  account_id: string;
  key_id: string | null;
  model: string;
  category: string;
  /** The policy that routed it, or "explicit" when the client named the model. */
  policy: string;
  status: string;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  created_at: string;
  feedback_score: number | null;
}

/** A routing policy's learned state (its snapshot() as JSON). */
export interface RoutingStateTable {
  policy: string;
  state: string;
  updated_at: string;
}

export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  vault_secrets: VaultSecretsTable;
  conversations: ConversationsTable;
  conversation_messages: ConversationMessagesTable;
  request_logs: RequestLogsTable;
  routing_state: RoutingStateTable;
  responses: ResponsesTable;
  ledger: LedgerTable;
  promo_codes: PromoCodesTable;
  promo_redemptions: PromoRedemptionsTable;
}

/** Append-only money movements; amounts signed (usage negative). */
export interface LedgerTable {
  id: Generated<number>;
  account_id: string;
  type: 'usage' | 'grant' | 'promo' | 'refund' | 'adjustment';
  amount_micros: number;
  balance_after_micros: number;
  /** Usage rows: the computed charge (may exceed -amount for unmetered accounts or a capped charge). */
  cost_micros: number | null;
  key_id: string | null;
  request_id: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  note: string | null;
  created_at: string;
}

export interface PromoCodesTable {
  /** Case-insensitive (COLLATE NOCASE). */
  code: string;
  credits_micros: number;
  max_redemptions: number | null;
  redemptions: Generated<number>;
  expires_at: string | null;
  /** 'yaml' or 'admin'. */
  source: string;
  created_at: string;
  updated_at: string;
}

export interface PromoRedemptionsTable {
  code: string;
  account_id: string;
  ledger_id: number;
  created_at: string;
}

/** A stored Responses API response (see src/responses/response-store.ts); JSON columns as text. */
export interface ResponsesTable {
  id: string;
  account_id: string;
  created_at: string;
  input_items: string;
  output_items: string;
  response: string;
}
