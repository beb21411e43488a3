/** The ResponseStore contract on a real migrated SQLite database. */
import { openDatabase } from '../../src/db/client.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SqliteResponseStore } from '../../src/responses/sqlite-response-store.js';
import { describeResponseStore } from './response-store-contract.js';

describeResponseStore('sqlite', async () => {
  const handle = openDatabase('sqlite::memory:');
  const migration = await migrateToLatest(handle.db);
  if (migration.error) throw migration.error;
  return { store: new SqliteResponseStore(handle.db), close: () => handle.close() };
});
