/**
 * Pre-bound series (deferred counters, fast histograms), cached per label-value tuple (values in labelNames order), so
 * the hot path does not build a label object per call. A hit walks one Map per label value and
 * allocates nothing. Label values are bounded (see gateway-metrics.ts), so the cache is too.
 */
import { Counter, type CounterConfiguration } from 'prom-client';
import type { FastHistogram, HistogramSeries } from './fast-histogram.js';

/** Label values in labelNames order (at most five: the widest series has five labels). */
export type SeriesLookup<C> = (a: string, b?: string, c?: string, d?: string, e?: string) => C;

interface Level<C> {
  readonly next: Map<string, Level<C>>;
  child?: C;
}

function down<C>(level: Level<C>, value: string): Level<C> {
  let found = level.next.get(value);
  if (found === undefined) {
    found = { next: new Map() };
    level.next.set(value, found);
  }
  return found;
}

function cached<C>(bind: (values: string[]) => C): SeriesLookup<C> {
  const root: Level<C> = { next: new Map() };
  return (a, b, c, d, e) => {
    let level = down(root, a);
    if (b !== undefined) {
      level = down(level, b);
      if (c !== undefined) {
        level = down(level, c);
        if (d !== undefined) {
          level = down(level, d);
          if (e !== undefined) level = down(level, e);
        }
      }
    }
    return (level.child ??= bind([a, b, c, d, e].filter((v): v is string => v !== undefined)));
  };
}

/** One series of a deferred counter: increments add up here until the next scrape. */
export class DeferredSeries {
  private pending = 0;
  private touched = false;

  constructor(private readonly labels: Readonly<Record<string, string>>) {}

  inc(value = 1): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    if (value < 0) throw new Error('It is not possible to decrease a counter');
    this.pending += value;
    this.touched = true;
  }

  /** Hands the pending sum to prom-client (a touched series is exported even at 0). */
  flushInto(counter: Counter<string>): void {
    if (!this.touched) return;
    counter.inc(this.labels, this.pending);
    this.pending = 0;
  }
}

/**
 * A prom-client Counter whose per-request increments stay in plain numbers and reach prom-client
 * in its collect(), i.e. once per series per scrape instead of a label hash per increment.
 */
export function deferredCounter<T extends string>(config: CounterConfiguration<T> & { readonly labelNames: readonly T[] }): SeriesLookup<DeferredSeries> {
  const series: DeferredSeries[] = [];
  new Counter<T>({
    ...config,
    collect() {
      for (const s of series) s.flushInto(this);
    },
  });
  return cached((values) => {
    const created = new DeferredSeries(Object.fromEntries(config.labelNames.map((name, i) => [name, values[i] ?? ''])));
    series.push(created);
    return created;
  });
}

export function histogramChildren(metric: FastHistogram): SeriesLookup<HistogramSeries> {
  return cached((values) => metric.labels(...values));
}
