/**
 * Persists what routing policies learned (`policy.snapshot()`, as JSON, one row per policy in
 * `routing_state`) and gives it back at start (`policy.restore()`). `flush()` runs with the
 * batched flushers (every 2 s, and at shutdown) and writes only snapshots that changed, so
 * learned state reaches the database within 5 s. Policies are read from the current Runtime,
 * so a reload (which carries state over to the new instances) is followed transparently.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Runtime } from '../gateway/runtime.js';
import type { Logger } from '../plugins/types.js';

export class RoutingStateStore {
  /** The JSON last written (or read) per policy. */
  private readonly persisted = new Map<string, string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly runtime: () => Runtime,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {}

  /** Restores every policy that has a stored state; a state a policy cannot read is logged and skipped. */
  async restore(): Promise<void> {
    const rows = await this.db.selectFrom('routing_state').select(['policy', 'state']).execute();
    const policies = this.runtime().policies;
    for (const row of rows) {
      this.persisted.set(row.policy, row.state);
      const policy = policies.get(row.policy);
      if (!policy?.restore) continue;
      try {
        policy.restore(JSON.parse(row.state) as unknown);
      } catch (err) {
        this.logger.warn({ err, policy: row.policy }, 'stored routing state could not be restored; the policy starts fresh');
      }
    }
  }

  /** Writes the snapshots that changed since the last write. */
  async flush(): Promise<void> {
    const changed: { policy: string; state: string }[] = [];
    for (const [name, policy] of this.runtime().policies) {
      if (!policy.snapshot) continue;
      const snapshot = policy.snapshot();
      if (snapshot === undefined) continue;
      const state = JSON.stringify(snapshot);
      if (this.persisted.get(name) !== state) changed.push({ policy: name, state });
    }
    if (changed.length === 0) return;
    const updatedAt = new Date(this.clock()).toISOString();
    await this.db.transaction().execute(async (trx) => {
      for (const row of changed) {
        await trx
          .insertInto('routing_state')
          .values({ ...row, updated_at: updatedAt })
          .onConflict((oc) => oc.column('policy').doUpdateSet({ state: row.state, updated_at: updatedAt }))
          .execute();
      }
    });
    for (const row of changed) this.persisted.set(row.policy, row.state);
  }
}
