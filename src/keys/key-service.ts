/**
 * Key management with every rule in one place, shared by /api/keys, /api/v1/keys and the CLI:
 * account isolation (another account's key is a 404), the bounds of key-bounds.ts, the per-account
 * key cap, and the KeyStore cache kept current so a revoked or changed key takes effect at once.
 */
import type { Kysely, Updateable } from 'kysely';
import type { AccountService } from '../accounts/account-service.js';
import type { ApiKeysTable, Database } from '../db/schema.js';
import { GatewayError } from '../errors.js';
import type { Scope } from '../plugins/types.js';
import { ALL_BOUNDED, assertWithin, scopesBeyond, type BoundedField, type CallerBounds } from './key-bounds.js';
import type { KeyCreateInput, KeyPatch } from './key-input.js';
import { ALL_SCOPES, DEFAULT_SCOPES, keyFromRow, type KeyRecord } from './key-record.js';
import type { KeyStore } from './key-store.js';
import { DEFAULT_ACCOUNT, INVALID_KEY } from './keyring.js';
import { assertKeyTypeFields, PUBLIC_KEY_SCOPES } from './public-keys.js';

/** Who is asking: a Principal satisfies this. */
export interface KeyCaller {
  readonly accountId: string;
  /** null for principals that are not stored keys (YAML admin keys, JWT subjects, the CLI). */
  readonly keyId: string | null;
  readonly scopes: readonly Scope[];
  readonly mode: 'live' | 'test';
}

export interface KeyServiceDeps {
  readonly db: Kysely<Database>;
  readonly keyStore: KeyStore;
  readonly accounts: AccountService;
  readonly clock: () => number;
  /** auth.max_keys_per_account, read per call so a reload applies. */
  readonly maxKeysPerAccount: () => number;
}

export interface KeyListOptions {
  readonly offset: number;
  readonly limit: number;
  /** Admin callers only: restrict to one account (id). */
  readonly accountId?: string;
  readonly includeDisabled?: boolean;
}

/** The operator at the command line: acts like an admin key of the default account. */
export const OPERATOR: KeyCaller = { accountId: DEFAULT_ACCOUNT, keyId: null, scopes: ALL_SCOPES, mode: 'live' };

export const KEY_NOT_FOUND = 'API key not found';

export function isAdmin(caller: KeyCaller): boolean {
  return caller.scopes.includes('admin');
}

/** The routes check this too; repeated here so no caller of the service can skip it. */
function assertKeysScope(caller: KeyCaller): void {
  if (!caller.scopes.includes('keys') && !isAdmin(caller)) throw new GatewayError('forbidden', 'This API key lacks the "keys" scope');
}

export class KeyService {
  /** Serializes creations so the per-account cap holds under concurrent requests. */
  private createQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: KeyServiceDeps) {}

  private now(): string {
    return new Date(this.deps.clock()).toISOString();
  }

  /** The caller's own limits; null for admins (unbounded). */
  private async boundsOf(caller: KeyCaller): Promise<CallerBounds | null> {
    if (isAdmin(caller)) return null;
    const own = caller.keyId === null ? null : await this.deps.keyStore.findById(caller.keyId);
    if (caller.keyId !== null && (!own || own.revokedAt !== null)) throw new GatewayError('auth_invalid', INVALID_KEY);
    return {
      scopes: caller.scopes,
      mode: caller.mode,
      limitMicros: own?.limitMicros ?? null,
      limitReset: own?.limitReset ?? null,
      rateLimitRpm: own?.rateLimitRpm ?? null,
      expiresAt: own?.expiresAt ?? null,
      allowedIps: own?.allowedIps ?? null,
    };
  }

  async create(caller: KeyCaller, input: KeyCreateInput): Promise<{ key: string; record: KeyRecord }> {
    assertKeysScope(caller);
    const bounds = await this.boundsOf(caller);
    let accountId = caller.accountId;
    if (input.account !== undefined) {
      if (bounds !== null) {
        if (input.account !== caller.accountId) throw new GatewayError('forbidden', 'account: only admin keys may create keys for another account');
      } else {
        const account = await this.deps.accounts.resolve(input.account);
        if (!account) throw new GatewayError('request_invalid', 'account: no such account');
        accountId = account.id;
      }
    }
    const limitMicros = input.limitMicros !== undefined ? input.limitMicros : (bounds?.limitMicros ?? null);
    const type = input.type ?? 'secret';
    const scopes = input.scopes ?? (type === 'public' ? PUBLIC_KEY_SCOPES : defaultScopes(bounds));
    assertKeyTypeFields(type, scopes, input.allowedOrigins);
    const fields = {
      scopes,
      mode: input.mode ?? bounds?.mode ?? 'live',
      limitMicros,
      limitReset: input.limitReset !== undefined ? input.limitReset : input.limitMicros === undefined ? (bounds?.limitReset ?? null) : null,
      rateLimitRpm: input.rateLimitRpm !== undefined ? input.rateLimitRpm : (bounds?.rateLimitRpm ?? null),
      expiresAt: input.expiresAt !== undefined ? input.expiresAt : (bounds?.expiresAt ?? null),
      allowedIps: input.allowedIps !== undefined ? input.allowedIps : (bounds?.allowedIps ?? null),
    };
    if (bounds) assertWithin(bounds, fields);

    const run = async () => {
      const active = await this.countActive(accountId);
      const max = this.deps.maxKeysPerAccount();
      if (active >= max)
        throw new GatewayError('conflict', `This account already has ${active} active API keys (auth.max_keys_per_account is ${max}); revoke one first`);
      // A non-admin key's children stay under its limits: their spend and requests count toward it.
      const parentKeyId = bounds !== null ? caller.keyId : null;
      return this.deps.keyStore.create({
        accountId,
        name: input.name ?? 'API key',
        ...fields,
        type,
        allowedOrigins: input.allowedOrigins ?? null,
        parentKeyId,
      });
    };
    const result = this.createQueue.then(run, run);
    this.createQueue = result.catch(() => undefined);
    return result;
  }

  private async countActive(accountId: string): Promise<number> {
    const row = await this.deps.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', this.now())]))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async list(caller: KeyCaller, options: KeyListOptions): Promise<{ records: KeyRecord[]; total: number }> {
    assertKeysScope(caller);
    const accountId = isAdmin(caller) ? options.accountId : caller.accountId;
    let query = this.deps.db.selectFrom('api_keys').where('revoked_at', 'is', null);
    if (accountId !== undefined) query = query.where('account_id', '=', accountId);
    if (options.includeDisabled === false) query = query.where('disabled', '=', 0);
    const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await query.selectAll().orderBy('created_at').orderBy('id').limit(options.limit).offset(options.offset).execute();
    return { records: rows.map(keyFromRow), total: Number(total.n) };
  }

  /** One key the caller may see; anything else (another account's, revoked, unknown) is a 404. */
  async get(caller: KeyCaller, id: string): Promise<KeyRecord> {
    assertKeysScope(caller);
    const record = await this.deps.keyStore.findById(id);
    if (!record || record.revokedAt !== null || (!isAdmin(caller) && record.accountId !== caller.accountId)) {
      throw new GatewayError('not_found', KEY_NOT_FOUND);
    }
    return record;
  }

  /** The caller's own key record, or null when the caller is not a stored key. */
  async self(caller: KeyCaller): Promise<KeyRecord | null> {
    return caller.keyId === null ? null : this.deps.keyStore.findById(caller.keyId);
  }

  async update(caller: KeyCaller, id: string, patch: KeyPatch): Promise<KeyRecord> {
    const target = await this.get(caller, id);
    if (patch.scopes !== undefined || patch.allowedOrigins !== undefined) {
      assertKeyTypeFields(target.type, patch.scopes ?? target.scopes, patch.allowedOrigins !== undefined ? patch.allowedOrigins : target.allowedOrigins);
    }
    const bounds = await this.boundsOf(caller);
    if (bounds) {
      assertManageable(bounds, target);
      const next = {
        scopes: patch.scopes ?? target.scopes,
        mode: target.mode,
        limitMicros: patch.limitMicros !== undefined ? patch.limitMicros : target.limitMicros,
        limitReset: patch.limitReset !== undefined ? patch.limitReset : target.limitReset,
        rateLimitRpm: patch.rateLimitRpm !== undefined ? patch.rateLimitRpm : target.rateLimitRpm,
        expiresAt: patch.expiresAt !== undefined ? patch.expiresAt : target.expiresAt,
        allowedIps: patch.allowedIps !== undefined ? patch.allowedIps : target.allowedIps,
      };
      const reenabling = patch.disabled === false && target.disabled;
      assertWithin(bounds, next, reenabling ? ALL_BOUNDED : changedFields(patch));
    }
    const set: Updateable<ApiKeysTable> = { updated_at: this.now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
    if (patch.scopes !== undefined) set.scopes = JSON.stringify(patch.scopes);
    if (patch.limitMicros !== undefined) set.limit_micros = patch.limitMicros;
    if (patch.limitReset !== undefined) set.limit_reset = patch.limitReset;
    if (patch.rateLimitRpm !== undefined) set.rate_limit_rpm = patch.rateLimitRpm;
    if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
    if (patch.allowedIps !== undefined) set.allowed_ips = patch.allowedIps === null ? null : JSON.stringify(patch.allowedIps);
    if (patch.allowedOrigins !== undefined) set.allowed_origins = patch.allowedOrigins === null ? null : JSON.stringify(patch.allowedOrigins);
    return this.write(target, set);
  }

  /** Permanent: the key answers 401 from the next request on. */
  async revoke(caller: KeyCaller, id: string): Promise<KeyRecord> {
    const target = await this.get(caller, id);
    const bounds = await this.boundsOf(caller);
    if (bounds) assertManageable(bounds, target);
    const now = this.now();
    return this.write(target, { revoked_at: now, updated_at: now });
  }

  private async write(target: KeyRecord, set: Updateable<ApiKeysTable>): Promise<KeyRecord> {
    await this.deps.db.updateTable('api_keys').set(set).where('id', '=', target.id).where('revoked_at', 'is', null).execute();
    const row = await this.deps.db.selectFrom('api_keys').selectAll().where('id', '=', target.id).executeTakeFirst();
    if (!row) {
      this.deps.keyStore.forget(target.keyHash);
      throw new GatewayError('not_found', KEY_NOT_FOUND);
    }
    const record = keyFromRow(row);
    this.deps.keyStore.remember(record);
    return record;
  }
}

function defaultScopes(bounds: CallerBounds | null): readonly Scope[] {
  if (!bounds) return DEFAULT_SCOPES;
  const narrowed = DEFAULT_SCOPES.filter((s) => bounds.scopes.includes(s));
  return narrowed.length > 0 ? narrowed : bounds.scopes;
}

/** A non-admin caller may not change or revoke a key holding a scope it lacks (e.g. an admin key). */
function assertManageable(bounds: CallerBounds, target: KeyRecord): void {
  const beyond = scopesBeyond(bounds.scopes, target.scopes);
  if (beyond.length > 0) throw new GatewayError('forbidden', `This API key cannot manage a key with the "${beyond[0]}" scope`);
  if (bounds.mode === 'test' && target.mode !== 'test') throw new GatewayError('forbidden', 'A test-mode API key can only manage test-mode keys');
}

function changedFields(patch: KeyPatch): BoundedField[] {
  const fields: BoundedField[] = [];
  if (patch.scopes !== undefined) fields.push('scopes');
  if (patch.limitMicros !== undefined || patch.limitReset !== undefined) fields.push('limit');
  if (patch.rateLimitRpm !== undefined) fields.push('rateLimitRpm');
  if (patch.expiresAt !== undefined) fields.push('expiresAt');
  if (patch.allowedIps !== undefined) fields.push('allowedIps');
  return fields;
}
