import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, deriveVaultKey, encrypt, parseMasterKey, VaultKeyError } from './crypto.js';

const MASTER = 'ab'.repeat(32);
const key = deriveVaultKey(parseMasterKey(MASTER));

describe('vault crypto', () => {
  it('round-trips a value with a fresh 96-bit nonce per write', () => {
    const a = encrypt(key, 'openai', 'sk-secret-value');
    const b = encrypt(key, 'openai', 'sk-secret-value');
    expect(Buffer.from(a.nonce, 'base64')).toHaveLength(12);
    expect(Buffer.from(a.tag, 'base64')).toHaveLength(16);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(decrypt(key, 'openai', a)).toBe('sk-secret-value');
    expect(decrypt(key, 'openai', b)).toBe('sk-secret-value');
  });

  it('derives a subkey (HKDF) that differs from the master key, and a stable key id', () => {
    expect(key.encryptionKey.equals(Buffer.from(MASTER, 'hex'))).toBe(false);
    expect(deriveVaultKey(parseMasterKey(MASTER)).keyId).toBe(key.keyId);
    expect(deriveVaultKey(randomBytes(32)).keyId).not.toBe(key.keyId);
  });

  it('binds the entry name: a ciphertext moved to another name does not decrypt', () => {
    const sealed = encrypt(key, 'openai', 'sk-1');
    expect(() => decrypt(key, 'anthropic', sealed)).toThrow(/failed authentication/);
  });

  it('detects tampering with ciphertext, tag or nonce', () => {
    const sealed = encrypt(key, 'x', 'sk-secret-value');
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0] = (buf[0] ?? 0) ^ 1;
      return buf.toString('base64');
    };
    expect(() => decrypt(key, 'x', { ...sealed, ciphertext: flip(sealed.ciphertext) })).toThrow(VaultKeyError);
    expect(() => decrypt(key, 'x', { ...sealed, tag: flip(sealed.tag) })).toThrow(VaultKeyError);
    expect(() => decrypt(key, 'x', { ...sealed, nonce: flip(sealed.nonce) })).toThrow(VaultKeyError);
  });

  it('reports a wrong master key as such', () => {
    const other = deriveVaultKey(randomBytes(32));
    expect(() => decrypt(other, 'x', encrypt(key, 'x', 'v'))).toThrow(/different master key/);
  });

  it('accepts only 64 hex characters as a master key and never echoes the value', () => {
    expect(parseMasterKey(` ${MASTER.toUpperCase()}\n`)).toHaveLength(32);
    for (const bad of ['', 'abc', 'zz'.repeat(32), 'ab'.repeat(31), 'ab'.repeat(33)]) {
      expect(() => parseMasterKey(bad)).toThrow(/SWITCHBOARD_MASTER_KEY must be 32 bytes written as 64 hex characters/);
    }
    try {
      parseMasterKey('secretsecretsecret');
    } catch (err) {
      expect((err as Error).message).not.toContain('secretsecretsecret');
    }
  });
});
