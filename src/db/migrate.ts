/** Runs the explicit, ordered list of migrations. Returns results instead of throwing. */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as accountsAndKeys from './migrations/2026-11-23-001-accounts-and-keys.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-11-23-001-accounts-and-keys': accountsAndKeys,
};

export async function migrateToLatest<T>(db: Kysely<T>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
  });
  return migrator.migrateToLatest();
}
