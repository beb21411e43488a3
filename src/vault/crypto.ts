/**
 * Vault cryptography: AES-256-GCM under a subkey derived with HKDF-SHA-256 from
 * SWITCHBOARD_MASTER_KEY. A fresh 96-bit nonce per write; the entry name (and format version)
 * is bound as associated data so a ciphertext cannot be moved to another name.
 * A key id (a one-way fingerprint of the master key) is stored beside each entry so a wrong
 * master key is reported as such instead of as "corrupted data".
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const VAULT_FORMAT_VERSION = 1;
export const MASTER_KEY_ENV = 'SWITCHBOARD_MASTER_KEY';

const ENCRYPTION_INFO = 'switchboard/vault/v1';
const KEY_ID_INFO = 'switchboard/vault/key-id/v1';
// Constant salt: the master key is already uniformly random, HKDF only separates the uses.
const SALT = Buffer.from('switchboard-vault', 'utf8');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface VaultKey {
  /** The AES-256-GCM key. */
  readonly encryptionKey: Buffer;
  /** Hex fingerprint of the master key, safe to store. */
  readonly keyId: string;
}

export interface SealedValue {
  readonly version: number;
  readonly keyId: string;
  /** base64 */
  readonly nonce: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export class VaultKeyError extends Error {
  override readonly name = 'VaultKeyError';
}

/** 64 hex characters → 32 bytes; anything else is an error naming the variable (never its value). */
export function parseMasterKey(hex: string, variable = MASTER_KEY_ENV): Buffer {
  const trimmed = hex.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    throw new VaultKeyError(
      `${variable} must be 32 bytes written as 64 hex characters (got ${trimmed.length} characters); generate one with: openssl rand -hex 32`,
    );
  }
  return Buffer.from(trimmed, 'hex');
}

function hkdf(master: Buffer, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', master, SALT, Buffer.from(info, 'utf8'), length));
}

export function deriveVaultKey(master: Buffer): VaultKey {
  if (master.length !== 32) throw new VaultKeyError('the vault master key must be 32 bytes');
  return { encryptionKey: hkdf(master, ENCRYPTION_INFO, 32), keyId: hkdf(master, KEY_ID_INFO, 8).toString('hex') };
}

function associatedData(name: string, version: number): Buffer {
  return Buffer.from(`switchboard/vault/v${version}\u0000${name}`, 'utf8');
}

export function encrypt(key: VaultKey, name: string, plaintext: string): SealedValue {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.encryptionKey, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(name, VAULT_FORMAT_VERSION));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    version: VAULT_FORMAT_VERSION,
    keyId: key.keyId,
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Throws VaultKeyError on a wrong key, an unknown version, or a tampered / moved entry. */
export function decrypt(key: VaultKey, name: string, sealed: SealedValue): string {
  if (sealed.version !== VAULT_FORMAT_VERSION) throw new VaultKeyError(`vault entry "${name}" has unknown format version ${sealed.version}`);
  if (sealed.keyId !== key.keyId) throw new VaultKeyError(`vault entry "${name}" was encrypted with a different master key`);
  const nonce = Buffer.from(sealed.nonce, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) throw new VaultKeyError(`vault entry "${name}" is malformed`);
  const decipher = createDecipheriv('aes-256-gcm', key.encryptionKey, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(name, sealed.version));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new VaultKeyError(`vault entry "${name}" failed authentication (corrupted, tampered with, or stored under another name)`);
  }
}
