/**
 * Stored Responses API responses, per account. The route depends only on this interface so the
 * storage can move (e.g. to a PostgreSQL repository) without touching it. Retention is the
 * maintenance job's (jobs/maintenance.ts pruneResponses, `retention.responses_days`). Another account's
 * response behaves as if it did not exist.
 */
import type { JsonValue } from '../formats/canonical.js';

export interface StoredResponse {
  readonly id: string;
  readonly accountId: string;
  /** ISO-8601. */
  readonly createdAt: string;
  /** The conversation before this turn's answer, as Responses input items (instructions excluded, as OpenAI does). */
  readonly inputItems: readonly JsonValue[];
  /** The answer's output items in stored form (sealed reasoning kept). */
  readonly outputItems: readonly JsonValue[];
  /** The response object as the client received it. */
  readonly response: JsonValue;
}

export interface ResponseStore {
  save(response: StoredResponse): Promise<void>;
  /** The account's response, or undefined (also for another account's id). */
  get(id: string, accountId: string): Promise<StoredResponse | undefined>;
  /** true when the account's response existed and is gone. */
  delete(id: string, accountId: string): Promise<boolean>;
}
