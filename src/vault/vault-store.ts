/**
 * The vault: encrypted rows in `vault_secrets`, decrypted once at start into an in-memory cache
 * that the secret resolver reads on every provider call. A write updates the cache after it
 * commits, so the next request uses the new credential without a restart. Values are never
 * logged or returned; listings show the last four characters only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { decrypt, deriveVaultKey, encrypt, MASTER_KEY_ENV, parseMasterKey, VaultKeyError, type VaultKey } from './crypto.js';
import type { SecretSource } from './secret-resolver.js';

export const VAULT_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** Provider credentials are short; this bounds what a PUT may store. */
export const MAX_VAULT_VALUE_LENGTH = 16_384;

export interface VaultListing {
  readonly name: string;
  /** The last four characters; empty for values shorter than 8 characters (they would show too much). */
  readonly last4: string;
  readonly updated_at: string;
}

interface CachedSecret {
  readonly value: string;
  readonly updatedAt: string;
}

export function lastFour(value: string): string {
  return value.length >= 8 ? value.slice(-4) : '';
}

/** The key from the environment's value: undefined when unset or empty; throws when malformed. */
export function vaultKeyFromEnv(hex: string | undefined, variable = MASTER_KEY_ENV): VaultKey | undefined {
  if (hex === undefined || hex.trim() === '') return undefined;
  return deriveVaultKey(parseMasterKey(hex, variable));
}

export class VaultStore implements SecretSource {
  private constructor(
    private readonly db: Kysely<Database>,
    private readonly key: VaultKey | undefined,
    private readonly clock: () => number,
    private readonly cache: Map<string, CachedSecret>,
  ) {}

  /**
   * Loads and decrypts every entry. Throws VaultKeyError when the master key is malformed, or
   * when entries exist and the key is missing or is not the one they were encrypted with.
   */
  static async open(db: Kysely<Database>, masterKeyHex: string | undefined, clock: () => number = Date.now): Promise<VaultStore> {
    const key = vaultKeyFromEnv(masterKeyHex);
    const rows = await db.selectFrom('vault_secrets').selectAll().orderBy('name').execute();
    const cache = new Map<string, CachedSecret>();
    if (rows.length > 0 && !key) {
      throw new VaultKeyError(
        `the vault holds ${rows.length} encrypted entr${rows.length === 1 ? 'y' : 'ies'} but ${MASTER_KEY_ENV} is not set; set it to the key they were encrypted with`,
      );
    }
    if (key) {
      const foreign = rows.filter((r) => r.key_id !== key.keyId).length;
      if (foreign > 0) {
        throw new VaultKeyError(
          `${MASTER_KEY_ENV} is not the key the vault was encrypted with (${foreign} of ${rows.length} entries); start with the original key, or re-encrypt with \`switchboard vault rotate-master\``,
        );
      }
      for (const row of rows) {
        const value = decrypt(key, row.name, { version: row.version, keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext, tag: row.tag });
        cache.set(row.name, { value, updatedAt: row.updated_at });
      }
    }
    return new VaultStore(db, key, clock, cache);
  }

  /** false when no master key is configured: the admin routes answer 503. */
  get enabled(): boolean {
    return this.key !== undefined;
  }

  get(name: string): string | undefined {
    return this.cache.get(name)?.value;
  }

  list(): VaultListing[] {
    return [...this.cache.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, s]) => ({ name, last4: lastFour(s.value), updated_at: s.updatedAt }));
  }

  async put(name: string, value: string): Promise<{ entry: VaultListing; created: boolean }> {
    const key = this.requireKey();
    if (!VAULT_NAME_PATTERN.test(name)) throw new RangeError(`invalid vault entry name`);
    const sealed = encrypt(key, name, value);
    const now = new Date(this.clock()).toISOString();
    const row = { version: sealed.version, key_id: sealed.keyId, nonce: sealed.nonce, ciphertext: sealed.ciphertext, tag: sealed.tag, updated_at: now };
    const created = await this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('vault_secrets').select('name').where('name', '=', name).executeTakeFirst();
      if (existing) {
        await trx.updateTable('vault_secrets').set(row).where('name', '=', name).execute();
        return false;
      }
      await trx
        .insertInto('vault_secrets')
        .values({ name, created_at: now, ...row })
        .execute();
      return true;
    });
    this.cache.set(name, { value, updatedAt: now });
    return { entry: { name, last4: lastFour(value), updated_at: now }, created };
  }

  async delete(name: string): Promise<boolean> {
    this.requireKey();
    const result = await this.db.deleteFrom('vault_secrets').where('name', '=', name).executeTakeFirst();
    this.cache.delete(name);
    return Number(result.numDeletedRows) > 0;
  }

  private requireKey(): VaultKey {
    if (!this.key) throw new VaultKeyError(`the vault is disabled: ${MASTER_KEY_ENV} is not set`);
    return this.key;
  }
}
