/**
 * Key-limit windows derived from the clock alone (UTC midnight; weeks start Monday; calendar
 * months), so a reset needs no job and happens even if the server was down at the moment.
 * KeyUsageCounters keeps each key's spend per window in memory, rebuilt from the ledger at start,
 * so checking a key limit on the request path reads no database.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { LimitReset } from '../keys/key-record.js';
import type { KeyUsageSource } from '../keys/key-usage.js';

const DAY_MS = 86_400_000;

/** Start (ms) of the window containing `now`. */
export function windowStart(reset: LimitReset, now: number): number {
  const d = new Date(now);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (reset === 'daily') return midnight;
  if (reset === 'weekly') return midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start (ms) of the window after the one containing `now`. */
export function nextWindowStart(reset: LimitReset, now: number): number {
  const start = windowStart(reset, now);
  if (reset === 'daily') return start + DAY_MS;
  if (reset === 'weekly') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const RESETS: readonly LimitReset[] = ['daily', 'weekly', 'monthly'];

interface Window {
  start: number;
  micros: number;
}

interface KeyCounters {
  total: number;
  windows: Record<LimitReset, Window>;
}

export class KeyUsageCounters implements KeyUsageSource {
  private readonly keys = new Map<string, KeyCounters>();

  constructor(private readonly clock: () => number) {}

  /** Rebuilds every counter from the ledger's usage rows (start-up). */
  async load(db: Kysely<Database>): Promise<void> {
    const now = this.clock();
    // The earliest window start of the three (a week can start in the previous month).
    const since = new Date(Math.min(...RESETS.map((r) => windowStart(r, now)))).toISOString();
    const totals = await db
      .selectFrom('ledger')
      .select((eb) => ['key_id', eb.fn.sum<number>('cost_micros').as('micros')])
      .where('type', '=', 'usage')
      .where('key_id', 'is not', null)
      .groupBy('key_id')
      .execute();
    const recent = await db
      .selectFrom('ledger')
      .select(['key_id', 'cost_micros', 'created_at'])
      .where('type', '=', 'usage')
      .where('key_id', 'is not', null)
      .where('created_at', '>=', since)
      .execute();
    // A key's usage includes that of the keys it minted (and theirs): their spend counts toward its limit.
    const parents = new Map<string, string>();
    for (const row of await db.selectFrom('api_keys').select(['id', 'parent_key_id']).where('parent_key_id', 'is not', null).execute()) {
      if (row.parent_key_id) parents.set(row.id, row.parent_key_id);
    }
    const withAncestors = (keyId: string): string[] => {
      const chain = [keyId];
      for (let parent = parents.get(keyId); parent !== undefined && !chain.includes(parent) && chain.length <= 16; parent = parents.get(parent))
        chain.push(parent);
      return chain;
    };
    this.keys.clear();
    for (const row of totals) {
      if (!row.key_id) continue;
      for (const id of withAncestors(row.key_id)) this.counters(id, now).total += Number(row.micros ?? 0);
    }
    for (const row of recent) {
      if (!row.key_id) continue;
      const at = Date.parse(row.created_at);
      for (const id of withAncestors(row.key_id)) {
        const c = this.counters(id, now);
        for (const reset of RESETS) if (at >= c.windows[reset].start) c.windows[reset].micros += row.cost_micros ?? 0;
      }
    }
  }

  /** Records a committed charge (the caller adds it to the key and to each key above it). */
  add(keyId: string, micros: number, at: number = this.clock()): void {
    const c = this.counters(keyId, at);
    c.total += micros;
    for (const reset of RESETS) c.windows[reset].micros += micros;
  }

  usageMicros(keyId: string, limitReset: LimitReset | null): number {
    const c = this.keys.get(keyId);
    if (!c) return 0;
    if (limitReset === null) return c.total;
    const w = c.windows[limitReset];
    // A window that started before the current one has reset: nothing spent yet in this one.
    return w.start >= windowStart(limitReset, this.clock()) ? w.micros : 0;
  }

  private counters(keyId: string, now: number): KeyCounters {
    let c = this.keys.get(keyId);
    if (!c) {
      c = { total: 0, windows: { daily: { start: 0, micros: 0 }, weekly: { start: 0, micros: 0 }, monthly: { start: 0, micros: 0 } } };
      this.keys.set(keyId, c);
    }
    for (const reset of RESETS) {
      const start = windowStart(reset, now);
      if (c.windows[reset].start < start) c.windows[reset] = { start, micros: 0 };
    }
    return c;
  }
}
