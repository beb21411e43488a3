import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastHistogram } from '../../src/metrics/fast-histogram.js';
import { itWithBinary, requireBinary, run } from './prom-tools.js';

const BUCKETS = [0.0001, 0.0005, 0.001, 0.25, 1, 2.5];
const OBSERVATIONS: [string, string, number][] = [
  ['POST', '200', 0.00005],
  ['POST', '200', 0.0001], // on a bound: counted in that bucket (le is inclusive)
  ['POST', '200', 0.0007],
  ['POST', '500', 0.3],
  ['GET', '200', 2.5],
  ['GET', '200', 7], // above the last bound: only in +Inf
  ['POST', '200', 0],
];

function pair(): { reference: Registry; fast: Registry; observe: (method: string, status: string, v: number) => void } {
  const reference = new Registry();
  const fast = new Registry();
  const config = { name: 'x_duration_seconds', help: 'Request duration.', labelNames: ['method', 'status'] as const, buckets: BUCKETS };
  const ref = new Histogram({ ...config, labelNames: [...config.labelNames], registers: [reference] });
  const ours = new FastHistogram({ ...config, registers: [fast] });
  return {
    reference,
    fast,
    observe: (method, status, v) => {
      ref.labels(method, status).observe(v);
      ours.labels(method, status).observe(v);
    },
  };
}

describe('FastHistogram', () => {
  it('exports exactly what a prom-client Histogram exports for the same observations', async () => {
    const { reference, fast, observe } = pair();
    for (const [method, status, v] of OBSERVATIONS) observe(method, status, v);
    const text = await fast.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain('x_duration_seconds_bucket{le="0.0001",method="POST",status="200"} 3');
    expect(text).toContain('x_duration_seconds_bucket{le="2.5",method="GET",status="200"} 1');
    expect(text).toContain('x_duration_seconds_bucket{le="+Inf",method="GET",status="200"} 2');
    expect(text).toContain('x_duration_seconds_count{method="POST",status="200"} 4');
    // The JSON form too, apart from prom-client's exemplar slots (exemplars are not enabled).
    const withoutExemplars = (await reference.getMetricsAsJSON()).map((m) => ({
      ...m,
      values: m.values.map((v) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== 'exemplar'))),
    }));
    expect(await fast.getMetricsAsJSON()).toEqual(withoutExemplars);
  });

  itWithBinary('promtool')('passes `promtool check metrics`', async () => {
    const { fast, observe } = pair();
    for (const [method, status, v] of OBSERVATIONS) observe(method, status, v);
    const result = await run(requireBinary('promtool'), ['check', 'metrics'], `${await fast.metrics()}\n`);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('keeps one series per label tuple, and an unlabeled histogram is exported before any observation', async () => {
    const registry = new Registry();
    const labeled = new FastHistogram({ name: 'a_seconds', help: 'a', labelNames: ['model'], buckets: [1], registers: [registry] });
    expect(labeled.labels('m')).toBe(labeled.labels('m'));
    expect(labeled.labels('m')).not.toBe(labeled.labels('n'));
    new FastHistogram({ name: 'b', help: 'b', labelNames: [], buckets: [1, 2], registers: [registry] }).labels();
    const text = await registry.metrics();
    expect(text).toContain('b_bucket{le="+Inf"} 0');
    expect(text).toContain('b_count 0');
  });

  it('refuses non-finite values and a wrong number of label values', () => {
    const h = new FastHistogram({ name: 'c', help: 'c', labelNames: ['a', 'b'], buckets: [1], registers: [new Registry()] });
    expect(() => h.labels('x', 'y').observe(Number.NaN)).toThrow(/valid number/);
    expect(() => h.labels('x', 'y').observe(Number.POSITIVE_INFINITY)).toThrow(/valid number/);
    expect(() => h.labels('x')).toThrow(/expected 2 label values/);
  });

  it('zeroes its series on registry.resetMetrics() and keeps counting into them', async () => {
    const registry = new Registry();
    const h = new FastHistogram({ name: 'd', help: 'd', labelNames: ['a'], buckets: [1], registers: [registry] });
    const series = h.labels('x');
    series.observe(0.5);
    registry.resetMetrics();
    series.observe(3);
    const text = await registry.metrics();
    expect(text).toContain('d_bucket{le="1",a="x"} 0');
    expect(text).toContain('d_count{a="x"} 1');
    expect(text).toContain('d_sum{a="x"} 3');
  });
});
