/**
 * Group commit for the ledger. A write is a synchronous function over prepared better-sqlite3
 * statements; the writes submitted in the same tick run in ONE transaction (one COMMIT) on the
 * next setImmediate, and each promise settles only after the transaction holding its write has
 * committed. No await runs between a write's check and its write, and nothing queues on Kysely's
 * connection mutex.
 *
 * Raw transactions share the connection with Kysely: a batch must never start while a Kysely
 * transaction is open (better-sqlite3 would nest it as a SAVEPOINT inside that transaction, so
 * its rollback would take our "committed" charges with it). The flush waits until none is open.
 */
import type BetterSqlite3 from 'better-sqlite3';

export interface WriteOptions<T> {
  /** Runs synchronously right after the commit, in submission order, before the promise settles. */
  readonly onCommit?: (value: T) => void;
}

interface Pending {
  readonly write: () => unknown;
  readonly onCommit: ((value: unknown) => void) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private waits = 0;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly onCallbackError: (err: unknown) => void = () => {},
  ) {}

  /**
   * Queues a write; resolves with its value once committed. A write that throws rejects its own
   * promise only, and must be safe to run again (it is, after a rollback, when its batch failed).
   */
  submit<T>(write: () => T, options: WriteOptions<T> = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, onCommit: options.onCommit as ((value: unknown) => void) | undefined, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  /** Writes now, if the connection is free (tests, shutdown); otherwise leaves it to the timer. */
  flushNow(): void {
    if (this.queue.length > 0 && !this.sqlite.inTransaction) this.run();
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    if (this.sqlite.inTransaction) {
      // A Kysely transaction is between two awaits; retry once it has finished.
      this.scheduled = true;
      if (++this.waits < 8) setImmediate(this.flush);
      else setTimeout(this.flush, 1);
      return;
    }
    this.waits = 0;
    this.run();
  };

  private run(): void {
    const batch = this.queue;
    this.queue = [];
    let outcomes: Outcome[];
    try {
      // IMMEDIATE: take the write lock at BEGIN, so another process (the CLI) makes us wait
      // (busy_timeout) rather than fail a read-to-write upgrade halfway.
      outcomes = this.sqlite.transaction(() => batch.map((p): Outcome => ({ ok: true, value: p.write() }))).immediate();
    } catch {
      // The batch rolled back as a whole: write each alone, so one failing write (an unknown
      // account, a refused deduction, a redeemed code) fails nobody else.
      outcomes = batch.map((p): Outcome => {
        try {
          return { ok: true, value: this.sqlite.transaction(p.write).immediate() };
        } catch (error) {
          return { ok: false, error };
        }
      });
    }
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      const outcome = outcomes[i]!;
      if (!outcome.ok) {
        p.reject(outcome.error);
        continue;
      }
      try {
        p.onCommit?.(outcome.value);
      } catch (err) {
        this.onCallbackError(err);
      }
      p.resolve(outcome.value);
    }
  }
}
