import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';
import { KeyStore } from './key-store.js';

let handle: DatabaseHandle | undefined;

async function store(): Promise<{ keys: KeyStore; db: DatabaseHandle }> {
  handle = openDatabase('sqlite::memory:');
  await migrateToLatest(handle.db);
  return { keys: new KeyStore(handle.db, { prefix: 'bkb_', clock: Date.now }), db: handle };
}

afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe('KeyStore.findByIdCached', () => {
  it('answers from the cache, follows remember() and falls back to the database after forget()', async () => {
    const { keys, db } = await store();
    const { record } = await keys.create({ accountId: 'default', name: 'k', scopes: ['chat'], limitMicros: 5 });
    // A write behind the store's back is not seen while the key is cached…
    await db.db.updateTable('api_keys').set({ limit_micros: 7 }).where('id', '=', record.id).execute();
    expect((await keys.findByIdCached(record.id))?.limitMicros).toBe(5);
    // …a write through the store is…
    keys.remember({ ...record, limitMicros: 9 });
    expect((await keys.findByIdCached(record.id))?.limitMicros).toBe(9);
    // …and without a cached copy the database answers.
    keys.forget(record.keyHash);
    expect((await keys.findByIdCached(record.id))?.limitMicros).toBe(7);
    expect(await keys.findByIdCached('no-such-id')).toBeNull();
  });

  it('reuses prepared statements without mixing up parameters', async () => {
    const { keys } = await store();
    const a = await keys.create({ accountId: 'default', name: 'a', scopes: ['chat'] });
    const b = await keys.create({ accountId: 'default', name: 'b', scopes: ['read'] });
    for (let i = 0; i < 3; i++) {
      expect((await keys.findById(a.record.id))?.name).toBe('a');
      expect((await keys.findById(b.record.id))?.name).toBe('b');
    }
  });
});
