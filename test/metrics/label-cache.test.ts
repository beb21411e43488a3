import { Registry } from 'prom-client';
import { FastHistogram } from '../../src/metrics/fast-histogram.js';
import { describe, expect, it } from 'vitest';
import { deferredCounter, histogramChildren } from '../../src/metrics/label-cache.js';

function seriesLines(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(name) && !line.startsWith('#'));
}

describe('deferred counters', () => {
  it('add increments up per label tuple and export them at scrape time', async () => {
    const registry = new Registry();
    const by = deferredCounter({ name: 'x_total', help: 'x', labelNames: ['model', 'direction'], registers: [registry] });
    by('m1', 'input').inc(3);
    by('m1', 'input').inc(4);
    by('m1', 'output').inc();
    by('m2', 'input').inc(0.25);
    expect(by('m1', 'input')).toBe(by('m1', 'input'));
    expect(seriesLines(await registry.metrics(), 'x_total').sort()).toEqual([
      'x_total{model="m1",direction="input"} 7',
      'x_total{model="m1",direction="output"} 1',
      'x_total{model="m2",direction="input"} 0.25',
    ]);
    by('m1', 'input').inc(2);
    // Totals keep growing across scrapes; nothing is counted twice.
    expect(seriesLines(await registry.metrics(), 'x_total')).toContain('x_total{model="m1",direction="input"} 9');
    expect(seriesLines(await registry.metrics(), 'x_total')).toContain('x_total{model="m1",direction="input"} 9');
  });

  it('exports a series incremented by 0, but not one that was only looked up', async () => {
    const registry = new Registry();
    const by = deferredCounter({ name: 'y_total', help: 'y', labelNames: ['a'], registers: [registry] });
    by('touched').inc(0);
    by('looked-up-only');
    expect(seriesLines(await registry.metrics(), 'y_total')).toEqual(['y_total{a="touched"} 0']);
  });

  it('keeps tuples of different lengths and equal prefixes apart', async () => {
    const registry = new Registry();
    const by = deferredCounter({ name: 'z_total', help: 'z', labelNames: ['a', 'b', 'c', 'd', 'e'], registers: [registry] });
    by('1', '2', '3', '4', '5').inc();
    by('1', '2', '3', '4', '6').inc(2);
    expect(by('1', '2', '3', '4', '5')).not.toBe(by('1', '2', '3', '4', '6'));
    expect(seriesLines(await registry.metrics(), 'z_total').sort()).toEqual([
      'z_total{a="1",b="2",c="3",d="4",e="5"} 1',
      'z_total{a="1",b="2",c="3",d="4",e="6"} 2',
    ]);
  });

  it('refuses negative and non-finite increments like prom-client', () => {
    const by = deferredCounter({ name: 'w_total', help: 'w', labelNames: ['a'], registers: [new Registry()] });
    expect(() => by('x').inc(-1)).toThrow(/decrease/);
    expect(() => by('x').inc(Number.NaN)).toThrow(/valid number/);
  });
});

describe('histogram children', () => {
  it('binds each label tuple once and observes into its series', async () => {
    const registry = new Registry();
    const histogram = new FastHistogram({ name: 'h_seconds', help: 'h', labelNames: ['model', 'outcome'], buckets: [1], registers: [registry] });
    const by = histogramChildren(histogram);
    expect(by('m', 'ok')).toBe(by('m', 'ok'));
    by('m', 'ok').observe(0.5);
    by('m', 'error').observe(2);
    const lines = seriesLines(await registry.metrics(), 'h_seconds_count').sort();
    expect(lines).toEqual(['h_seconds_count{model="m",outcome="error"} 1', 'h_seconds_count{model="m",outcome="ok"} 1']);
  });
});
