/**
 * API keys in the database, with an in-memory index by hash so authenticating a known key costs
 * no database round-trip. Writes through this store update the index; writes by another process
 * (the CLI) are noticed through SQLite's data_version and drop the index. last_used_at is batched.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Scope } from '../plugins/types.js';
import { generateApiKey, hashApiKey, keyLabel } from './api-key.js';
import { keyFromRow, parseJsonArray, type KeyRecord, type KeyType, type LimitReset } from './key-record.js';

export interface NewKey {
  readonly accountId: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly mode?: 'live' | 'test';
  readonly expiresAt?: string | null;
  readonly allowedIps?: readonly string[] | null;
  readonly rateLimitRpm?: number | null;
  readonly limitMicros?: number | null;
  readonly limitReset?: LimitReset | null;
  readonly type?: KeyType;
  readonly allowedOrigins?: readonly string[] | null;
  readonly parentKeyId?: string | null;
}

export interface KeyStoreOptions {
  readonly prefix: string;
  /** Prefix of public (browser-safe) keys; default `pk_`. */
  readonly publicPrefix?: string;
  readonly clock: () => number;
  /** Returns a number that changes when another connection wrote to the database. */
  readonly dataVersion?: () => number;
}

export class KeyStore {
  private readonly byHash = new Map<string, KeyRecord>();
  /** Key id → hash of the cached record (entries may be stale; byHash is the truth). */
  private readonly hashById = new Map<string, string>();
  /** Key id → last use (epoch ms), formatted only when flushed or read. */
  private readonly pendingTouches = new Map<string, number>();
  private lastDataVersion: number | undefined;
  private lastCheckAt = -Infinity;
  private prefix: string;
  private publicPrefix: string;
  /** Every origin some active public key allows (for CORS preflights, which carry no key). */
  private publicOrigins: Promise<ReadonlySet<string>> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: KeyStoreOptions,
  ) {
    this.prefix = options.prefix;
    this.publicPrefix = options.publicPrefix ?? 'pk_';
  }

  get keyPrefix(): string {
    return this.prefix;
  }

  get publicKeyPrefix(): string {
    return this.publicPrefix;
  }

  setPrefix(prefix: string, publicPrefix: string = this.publicPrefix): void {
    this.prefix = prefix;
    this.publicPrefix = publicPrefix;
  }

  /**
   * The origins of all active public keys, cached until a key changes (here or, through
   * data_version, in another process). A preflight carries no key, so it is answered from this.
   */
  allowedPublicOrigins(): Promise<ReadonlySet<string>> {
    this.checkExternalWrites();
    this.publicOrigins ??= this.db
      .selectFrom('api_keys')
      .select(['allowed_origins'])
      .where('type', '=', 'public')
      .where('revoked_at', 'is', null)
      .where('disabled', '=', 0)
      .execute()
      .then((rows) => {
        const origins = new Set<string>();
        for (const row of rows) for (const origin of parseJsonArray(row.allowed_origins) ?? []) origins.add(origin);
        return origins;
      });
    return this.publicOrigins;
  }

  /** Cached lookup; a miss reads the database (parameterized, by hash). */
  lookupCached(hash: string): KeyRecord | undefined {
    this.checkExternalWrites();
    return this.byHash.get(hash);
  }

  async findByHash(hash: string): Promise<KeyRecord | null> {
    const cached = this.lookupCached(hash);
    if (cached) return cached;
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
    if (!row) return null;
    const record = keyFromRow(row);
    this.byHash.set(hash, record);
    this.hashById.set(record.id, hash);
    return record;
  }

  /**
   * Like findById, but answers from the cache when the key is in it (it is once it has
   * authenticated): kept current by this store's writes and dropped on external writes, the
   * same freshness authentication relies on. For the per-request key-limit check.
   */
  findByIdCached(id: string): KeyRecord | null | Promise<KeyRecord | null> {
    this.checkExternalWrites();
    const hash = this.hashById.get(id);
    const cached = hash === undefined ? undefined : this.byHash.get(hash);
    if (cached) return cached;
    return this.findById(id).then((record) => {
      // Remembered, so the next lookup of a minting key (read on each of its children's requests) is in memory.
      if (record) this.remember(record);
      return record;
    });
  }

  async findById(id: string): Promise<KeyRecord | null> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? keyFromRow(row) : null;
  }

  async create(input: NewKey): Promise<{ key: string; record: KeyRecord }> {
    const type = input.type ?? 'secret';
    const prefix = type === 'public' ? this.publicPrefix : this.prefix;
    const key = generateApiKey(prefix);
    const now = new Date(this.options.clock()).toISOString();
    const row = {
      id: randomUUID(),
      account_id: input.accountId,
      name: input.name,
      key_hash: hashApiKey(key),
      label: keyLabel(key, prefix),
      scopes: JSON.stringify(input.scopes),
      mode: input.mode ?? 'live',
      disabled: 0,
      expires_at: input.expiresAt ?? null,
      allowed_ips: input.allowedIps ? JSON.stringify(input.allowedIps) : null,
      rate_limit_rpm: input.rateLimitRpm ?? null,
      limit_micros: input.limitMicros ?? null,
      limit_reset: input.limitReset ?? null,
      created_at: now,
      updated_at: now,
      last_used_at: null,
      revoked_at: null,
      type,
      allowed_origins: input.allowedOrigins ? JSON.stringify(input.allowedOrigins) : null,
      parent_key_id: input.parentKeyId ?? null,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    if (type === 'public') this.publicOrigins = undefined;
    const record = keyFromRow(row);
    this.byHash.set(record.keyHash, record);
    this.hashById.set(record.id, record.keyHash);
    return { key, record };
  }

  /** Replace the cached copy after an update made through this process. */
  remember(record: KeyRecord): void {
    if (record.type === 'public') this.publicOrigins = undefined;
    this.byHash.set(record.keyHash, record);
    this.hashById.set(record.id, record.keyHash);
  }

  forget(hash: string): void {
    this.publicOrigins = undefined;
    this.byHash.delete(hash);
  }

  async hasActiveAdminKey(): Promise<boolean> {
    const rows = await this.db.selectFrom('api_keys').select(['scopes']).where('revoked_at', 'is', null).execute();
    return rows.some((r) => r.scopes.includes('"admin"'));
  }

  /** Records use without a write per request; flushed by a timer and at shutdown. */
  touch(id: string): void {
    this.pendingTouches.set(id, this.options.clock());
  }

  async flushTouches(): Promise<void> {
    if (this.pendingTouches.size === 0) return;
    const batch = [...this.pendingTouches];
    this.pendingTouches.clear();
    await this.db.transaction().execute(async (trx) => {
      for (const [id, at] of batch)
        await trx
          .updateTable('api_keys')
          .set({ last_used_at: new Date(at).toISOString() })
          .where('id', '=', id)
          .execute();
    });
  }

  /** The last_used_at a key has, including a not-yet-flushed touch. */
  lastUsedAt(record: KeyRecord): string | null {
    const pending = this.pendingTouches.get(record.id);
    return pending === undefined ? record.lastUsedAt : new Date(pending).toISOString();
  }

  private checkExternalWrites(): void {
    if (!this.options.dataVersion) return;
    const now = this.options.clock();
    if (now - this.lastCheckAt < 500) return;
    this.lastCheckAt = now;
    const version = this.options.dataVersion();
    if (this.lastDataVersion !== undefined && version !== this.lastDataVersion) {
      this.byHash.clear();
      this.hashById.clear();
      this.publicOrigins = undefined;
    }
    this.lastDataVersion = version;
  }
}
