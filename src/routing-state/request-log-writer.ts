/**
 * A GatewayTelemetry consumer that records every completed request in `request_logs`, batched
 * in memory and written by a flusher. /api/feedback claims a request's feedback here: in the
 * pending batch when the row is not written yet, else with a conditional UPDATE, so a request
 * is scored at most once.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import { GroupCommit } from '../billing/group-commit.js';
import type { DatabaseHandle } from '../db/client.js';
import type { Database, RequestLogsTable } from '../db/schema.js';
import type { Logger } from '../plugins/types.js';
import { NO_TELEMETRY, type CompletionEvent, type GatewayTelemetry, type RoutedEvent } from '../gateway/telemetry.js';

/** Routed requests still waiting for their completion; bounded so failed requests cannot pile up. */
const MAX_ROUTED = 10_000;
/** Rows kept in memory at most; beyond this a flush is started early. */
const FLUSH_AT = 500;
const INSERT_SQL =
  'INSERT INTO request_logs (request_id, account_id, key_id, model, category, policy, status, latency_ms, input_tokens, output_tokens, cost_micros, created_at, feedback_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** A row before it is written (its id comes from the database). */
type Row = Omit<Selectable<RequestLogsTable>, 'id'>;

/** Request ids come from clients: anything keyed by one is keyed per account too. */
function accountRequest(accountId: string, requestId: string): string {
  return `${accountId}\n${requestId}`;
}

export interface LoggedRequest {
  readonly requestId: string;
  readonly accountId: string;
  readonly model: string;
  readonly category: string;
  readonly policy: string;
}

export type FeedbackClaim =
  | { readonly kind: 'claimed'; readonly request: LoggedRequest }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'already_scored' }
  | { readonly kind: 'expired' };

interface Routed {
  readonly policy: string;
  readonly at: number;
}

function logged(row: Pick<Row, 'request_id' | 'account_id' | 'model' | 'category' | 'policy'>): LoggedRequest {
  return { requestId: row.request_id, accountId: row.account_id, model: row.model, category: row.category, policy: row.policy };
}

export class RequestLogWriter {
  /** By accountRequest(). */
  private readonly routed = new Map<string, Routed>();
  /** Rows not yet durable (including those being written right now), by a local sequence. */
  private readonly pending = new Map<number, Row>();
  private sequence = 0;
  private flushing: Promise<void> | null = null;
  private readonly db: Kysely<Database>;
  private readonly sqlite: BetterSqlite3.Database;
  /** A prepared statement in the same group-commit discipline as the ledger (no Kysely transaction open). */
  private readonly commits: GroupCommit;
  private insert: BetterSqlite3.Statement<unknown[]> | null = null;

  constructor(
    database: Pick<DatabaseHandle, 'db' | 'sqlite'>,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {
    this.db = database.db;
    this.sqlite = database.sqlite;
    this.commits = new GroupCommit(database.sqlite);
  }

  readonly telemetry: GatewayTelemetry = {
    ...NO_TELEMETRY,
    routed: (event) => this.onRouted(event),
    completed: (event) => this.onCompleted(event),
  };

  private onRouted(event: RoutedEvent): void {
    if (this.routed.size >= MAX_ROUTED) {
      const oldest = this.routed.keys().next().value;
      if (oldest !== undefined) this.routed.delete(oldest);
    }
    this.routed.set(accountRequest(event.accountId, event.requestId), { policy: event.policy, at: this.clock() });
  }

  private onCompleted(event: CompletionEvent): void {
    const key = accountRequest(event.accountId, event.requestId);
    const routed = this.routed.get(key);
    this.routed.delete(key);
    const now = this.clock();
    this.pending.set(++this.sequence, {
      request_id: event.requestId,
      account_id: event.accountId,
      key_id: event.keyId,
      model: event.modelId,
      category: event.category,
      policy: routed?.policy ?? 'unknown',
      status: 'ok',
      latency_ms: Math.max(0, Math.round(routed ? now - routed.at : event.upstreamMs)),
      input_tokens: event.usage.inputTokens,
      output_tokens: event.usage.outputTokens,
      cost_micros: event.costMicros,
      created_at: new Date(now).toISOString(),
      feedback_score: null,
    });
    if (this.pending.size >= FLUSH_AT && !this.flushing) void this.flush().catch((err: unknown) => this.logger.error({ err }, 'writing request logs failed'));
  }

  /** Writes the pending batch; concurrent calls share one write. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.pending.size > 0 ? this.flush() : undefined));
    if (this.pending.size === 0) return Promise.resolve();
    this.flushing = this.write().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const rows = [...this.pending];
    // The scores as inserted: feedback may land on a pending row until the batch commits.
    const written: (number | null)[] = [];
    const ids: number[] = [];
    await this.commits.submit(() => {
      this.insert ??= this.sqlite.prepare(INSERT_SQL);
      written.length = 0;
      ids.length = 0;
      for (const [, r] of rows) {
        written.push(r.feedback_score);
        const inserted = this.insert.run(
          r.request_id,
          r.account_id,
          r.key_id,
          r.model,
          r.category,
          r.policy,
          r.status,
          r.latency_ms,
          r.input_tokens,
          r.output_tokens,
          r.cost_micros,
          r.created_at,
          r.feedback_score,
        );
        ids.push(Number(inserted.lastInsertRowid));
      }
    });
    // Feedback that arrived while the insert ran is written now, before the rows leave memory.
    for (const [i, [seq, row]] of rows.entries()) {
      if (row.feedback_score !== written[i] && row.feedback_score !== null) {
        await this.db.updateTable('request_logs').set({ feedback_score: row.feedback_score }).where('id', '=', ids[i]!).execute();
      }
      this.pending.delete(seq);
    }
  }

  /** The newest pending row of this account with this request id. */
  private pendingRow(requestId: string, accountId: string): Row | undefined {
    let found: Row | undefined;
    for (const row of this.pending.values()) if (row.request_id === requestId && row.account_id === accountId) found = row;
    return found;
  }

  /**
   * Records `score` for the caller's request, once. Request ids resolve per account: another
   * account's request with the same id is not_found (and never touched); one older than `ttlMs`
   * is expired. An account that reused an id scores its newest request with it.
   */
  async claimFeedback(requestId: string, accountId: string, score: number, ttlMs: number): Promise<FeedbackClaim> {
    const expired = (createdAt: string) => this.clock() - Date.parse(createdAt) > ttlMs;
    const inMemory = this.pendingRow(requestId, accountId);
    if (inMemory) {
      if (inMemory.feedback_score !== null) return { kind: 'already_scored' };
      if (expired(inMemory.created_at)) return { kind: 'expired' };
      inMemory.feedback_score = score;
      return { kind: 'claimed', request: logged(inMemory) };
    }
    const row = await this.db
      .selectFrom('request_logs')
      .select(['id', 'request_id', 'account_id', 'model', 'category', 'policy', 'created_at', 'feedback_score'])
      .where('account_id', '=', accountId)
      .where('request_id', '=', requestId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    // A row leaves `pending` only once it is in the table, so not finding it in either means it does not exist.
    if (!row) return { kind: 'not_found' };
    if (row.feedback_score !== null) return { kind: 'already_scored' };
    if (expired(row.created_at)) return { kind: 'expired' };
    const result = await this.db
      .updateTable('request_logs')
      .set({ feedback_score: score })
      .where('id', '=', row.id)
      .where('feedback_score', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return { kind: 'already_scored' };
    return { kind: 'claimed', request: logged(row) };
  }
}
