import { describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';
import { rotateMasterKey } from './rotate-master.js';
import { VaultStore } from './vault-store.js';

const KEY_A = '11'.repeat(32);
const KEY_B = '22'.repeat(32);
const clock = () => Date.parse('2026-11-23T10:00:00Z');

async function database(): Promise<DatabaseHandle> {
  const handle = openDatabase('sqlite::memory:');
  const result = await migrateToLatest(handle.db);
  if (result.error) throw result.error;
  return handle;
}

describe('VaultStore', () => {
  it('stores, lists (last 4 only), serves from the cache and deletes', async () => {
    const { db } = await database();
    const vault = await VaultStore.open(db, KEY_A, clock);
    expect(vault.enabled).toBe(true);
    expect(await vault.put('openai', 'sk-live-abcdefgh1234')).toEqual({
      entry: { name: 'openai', last4: '1234', updated_at: '2026-11-23T10:00:00.000Z' },
      created: true,
    });
    expect((await vault.put('openai', 'sk-live-abcdefgh5678')).created).toBe(false);
    await vault.put('short', 'abc');
    expect(vault.get('openai')).toBe('sk-live-abcdefgh5678');
    expect(vault.list()).toEqual([
      { name: 'openai', last4: '5678', updated_at: '2026-11-23T10:00:00.000Z' },
      { name: 'short', last4: '', updated_at: '2026-11-23T10:00:00.000Z' },
    ]);
    const row = await db.selectFrom('vault_secrets').selectAll().where('name', '=', 'openai').executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('sk-live');
    expect(await vault.delete('openai')).toBe(true);
    expect(await vault.delete('openai')).toBe(false);
    expect(vault.get('openai')).toBeUndefined();
  });

  it('reopens with the same key and decrypts every entry', async () => {
    const { db } = await database();
    await (await VaultStore.open(db, KEY_A, clock)).put('a', 'value-of-a-000');
    const again = await VaultStore.open(db, KEY_A, clock);
    expect(again.get('a')).toBe('value-of-a-000');
  });

  it('refuses to open entries without a key or with the wrong key; a malformed key always fails', async () => {
    const { db } = await database();
    await expect(VaultStore.open(db, 'nothex', clock)).rejects.toThrow(/64 hex characters/);
    const empty = await VaultStore.open(db, undefined, clock);
    expect(empty.enabled).toBe(false);
    await expect(empty.put('a', 'b')).rejects.toThrow(/SWITCHBOARD_MASTER_KEY is not set/);
    await (await VaultStore.open(db, KEY_A, clock)).put('a', 'value-of-a-000');
    await expect(VaultStore.open(db, undefined, clock)).rejects.toThrow(/holds 1 encrypted entry but SWITCHBOARD_MASTER_KEY is not set/);
    await expect(VaultStore.open(db, '', clock)).rejects.toThrow(/SWITCHBOARD_MASTER_KEY is not set/);
    await expect(VaultStore.open(db, KEY_B, clock)).rejects.toThrow(/SWITCHBOARD_MASTER_KEY is not the key the vault was encrypted with/);
  });

  it('rotate-master re-encrypts every entry in one transaction', async () => {
    const { db } = await database();
    const vault = await VaultStore.open(db, KEY_A, clock);
    await vault.put('a', 'value-of-a-000');
    await vault.put('b', 'value-of-b-111');
    await expect(rotateMasterKey(db, '33'.repeat(32), KEY_B)).rejects.toThrow(/not the key vault entry/);
    await expect(rotateMasterKey(db, KEY_A, KEY_A)).rejects.toThrow(/same key/);
    await expect(rotateMasterKey(db, KEY_A, undefined)).rejects.toThrow(/SWITCHBOARD_NEW_MASTER_KEY/);
    expect(await rotateMasterKey(db, KEY_A, KEY_B)).toEqual({ rotated: 2, alreadyRotated: 0 });
    await expect(VaultStore.open(db, KEY_A, clock)).rejects.toThrow(/not the key/);
    const rotated = await VaultStore.open(db, KEY_B, clock);
    expect(rotated.get('a')).toBe('value-of-a-000');
    expect(rotated.get('b')).toBe('value-of-b-111');
  });

  it('a failing rotation changes nothing', async () => {
    const { db } = await database();
    await (await VaultStore.open(db, KEY_A, clock)).put('a', 'value-of-a-000');
    await (await VaultStore.open(db, KEY_A, clock)).put('b', 'value-of-b-111');
    // Corrupt b so the rotation fails after a was re-encrypted inside the transaction.
    await db
      .updateTable('vault_secrets')
      .set({ tag: Buffer.alloc(16).toString('base64') })
      .where('name', '=', 'b')
      .execute();
    await expect(rotateMasterKey(db, KEY_A, KEY_B)).rejects.toThrow(/failed authentication/);
    const rows = await db.selectFrom('vault_secrets').select(['name', 'key_id']).execute();
    expect(new Set(rows.map((r) => r.key_id)).size).toBe(1);
    await db.deleteFrom('vault_secrets').where('name', '=', 'b').execute();
    expect((await VaultStore.open(db, KEY_A, clock)).get('a')).toBe('value-of-a-000');
  });
});
