/** Runs the explicit, ordered list of migrations. Returns results instead of throwing. */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as accountsAndKeys from './migrations/2026-11-23-001-accounts-and-keys.js';
import * as vault from './migrations/2026-11-23-010-vault.js';
import * as ledger from './migrations/2026-11-23-020-ledger.js';
import * as conversations from './migrations/2026-11-23-030-conversations.js';
import * as responses from './migrations/2026-12-02-040-responses.js';
import * as requestLogIds from './migrations/2026-12-02-050-request-log-ids.js';
import * as conversationBytes from './migrations/2026-12-02-060-conversation-bytes.js';
import * as keyParent from './migrations/2026-12-02-070-key-parent.js';
import * as keyTypeAndOrigins from './migrations/2026-12-02-080-key-type-and-origins.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-11-23-001-accounts-and-keys': accountsAndKeys,
  '2026-11-23-010-vault': vault,
  '2026-11-23-020-ledger': ledger,
  '2026-11-23-030-conversations': conversations,
  '2026-12-02-040-responses': responses,
  '2026-12-02-050-request-log-ids': requestLogIds,
  '2026-12-02-060-conversation-bytes': conversationBytes,
  '2026-12-02-070-key-parent': keyParent,
  '2026-12-02-080-key-type-and-origins': keyTypeAndOrigins,
};

export async function migrateToLatest<T>(db: Kysely<T>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
  });
  return migrator.migrateToLatest();
}
