/**
 * `switchboard vault rotate-master`: re-encrypts every vault entry from the old master key
 * (SWITCHBOARD_MASTER_KEY) to the new one (SWITCHBOARD_NEW_MASTER_KEY) in one transaction, so
 * the vault is never left half rotated. Run it with the server stopped, then start the server
 * with the new key.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { decrypt, encrypt, MASTER_KEY_ENV, VaultKeyError } from './crypto.js';
import { vaultKeyFromEnv } from './vault-store.js';

export const NEW_MASTER_KEY_ENV = 'SWITCHBOARD_NEW_MASTER_KEY';

export interface RotationResult {
  /** Entries re-encrypted under the new key. */
  readonly rotated: number;
  /** Entries that were already under the new key (verified, left as they were). */
  readonly alreadyRotated: number;
}

export async function rotateMasterKey(db: Kysely<Database>, oldHex: string | undefined, newHex: string | undefined): Promise<RotationResult> {
  const oldKey = vaultKeyFromEnv(oldHex, MASTER_KEY_ENV);
  const newKey = vaultKeyFromEnv(newHex, NEW_MASTER_KEY_ENV);
  if (!oldKey) throw new VaultKeyError(`${MASTER_KEY_ENV} (the current master key) is not set`);
  if (!newKey) throw new VaultKeyError(`${NEW_MASTER_KEY_ENV} (the new master key) is not set`);
  if (oldKey.keyId === newKey.keyId) throw new VaultKeyError(`${NEW_MASTER_KEY_ENV} is the same key as ${MASTER_KEY_ENV}`);

  return db.transaction().execute(async (trx) => {
    let rotated = 0;
    let alreadyRotated = 0;
    for (const row of await trx.selectFrom('vault_secrets').selectAll().execute()) {
      const sealed = { version: row.version, keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext, tag: row.tag };
      if (row.key_id === newKey.keyId) {
        decrypt(newKey, row.name, sealed);
        alreadyRotated++;
        continue;
      }
      if (row.key_id !== oldKey.keyId)
        throw new VaultKeyError(`${MASTER_KEY_ENV} is not the key vault entry "${row.name}" was encrypted with; nothing was changed`);
      const resealed = encrypt(newKey, row.name, decrypt(oldKey, row.name, sealed));
      await trx
        .updateTable('vault_secrets')
        .set({ version: resealed.version, key_id: resealed.keyId, nonce: resealed.nonce, ciphertext: resealed.ciphertext, tag: resealed.tag })
        .where('name', '=', row.name)
        .execute();
      rotated++;
    }
    return { rotated, alreadyRotated };
  });
}
