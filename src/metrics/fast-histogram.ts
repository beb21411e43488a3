/**
 * A histogram for the request path: an observation is a bucket search and three number updates
 * on a pre-bound series, with no label object, label hash or validation per call (prom-client's
 * child.observe() does all three, five times per request). It registers in a prom-client Registry
 * as a metric of its own and exports exactly what a prom-client Histogram with the same name,
 * labels and buckets would: cumulative `_bucket` series with `le`, then `_sum` and `_count`.
 */
import type { Metric, Registry } from 'prom-client';

/** What a prom-client Registry reads from a metric (its typings do not export these shapes). */
export interface ExportedValue {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName: string;
  /** The series' own labels; the Registry prints them after `le`. */
  readonly sharedLabels?: Readonly<Record<string, string>>;
}

export interface ExportedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: 'sum';
  readonly values: ExportedValue[];
}

export interface FastHistogramConfig<T extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  /** Upper bounds, ascending; `+Inf` is implied. */
  readonly buckets: readonly number[];
  readonly registers: readonly Registry[];
}

/** One label-value tuple of a FastHistogram. */
export class HistogramSeries {
  /** Per-bucket (not cumulative) counts; values above the last bound count only in `count`. */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }

  /** prom-client's export shape: the series' labels are "shared", `le` is the value's own label. */
  exportInto(values: ExportedValue[], name: string): void {
    const bucket = `${name}_bucket`;
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i]!;
      values.push(exported({ le: this.bounds[i]! }, cumulative, bucket, this.labels));
    }
    values.push(exported({ le: '+Inf' }, this.count, bucket, this.labels));
    values.push(exported({}, this.sum, `${name}_sum`, this.labels));
    values.push(exported({}, this.count, `${name}_count`, this.labels));
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

function exported(labels: Record<string, string | number>, value: number, metricName: string, sharedLabels: Readonly<Record<string, string>>): ExportedValue {
  return { labels, value, metricName, sharedLabels };
}

export class FastHistogram<T extends string = string> {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly name: string;
  readonly help: string;
  private readonly labelNames: readonly T[];
  private readonly bounds: readonly number[];
  /** Series in creation order, keyed by their label values joined with NUL. */
  private readonly series = new Map<string, HistogramSeries>();

  constructor(config: FastHistogramConfig<T>) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    this.bounds = [...config.buckets].sort((a, b) => a - b);
    // The Registry only reads name/help/type/aggregator and calls get(), getForPromString() and reset().
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric<string>);
  }

  /**
   * The series for these label values (in labelNames order), created on first use. Callers on the
   * request path keep the result (or cache it per tuple, see label-cache.ts).
   */
  labels(...values: string[]): HistogramSeries {
    if (values.length !== this.labelNames.length) {
      throw new Error(`${this.name}: expected ${this.labelNames.length} label values, got ${values.length}`);
    }
    const key = values.join('\u0000');
    let found = this.series.get(key);
    if (!found) {
      found = new HistogramSeries(Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!])), this.bounds);
      this.series.set(key, found);
    }
    return found;
  }

  async getForPromString(): Promise<ExportedMetric> {
    const values: ExportedValue[] = [];
    for (const s of this.series.values()) s.exportInto(values, this.name);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** The JSON form (registry.getMetricsAsJSON): shared labels merged into each value's labels. */
  async get(): Promise<ExportedMetric> {
    const metric = await this.getForPromString();
    return { ...metric, values: metric.values.map(({ sharedLabels, ...v }) => ({ ...v, labels: { ...v.labels, ...sharedLabels } })) };
  }

  /** Zeroes every series (they stay exported: callers keep references to them). */
  reset(): void {
    for (const s of this.series.values()) s.reset();
  }
}
