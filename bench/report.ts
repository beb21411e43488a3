/** Turns benchmark measurements into the markdown of bench/results.md. */
import type { LoadResult } from './load.js';

export type TargetName =
  | 'upstream (direct)'
  | 'express + HPM'
  | 'express + JSON + undici (no subsystems)'
  | 'node:http + JSON + undici (no express)'
  | 'Switchboard'
  | 'Switchboard (model=auto)';

export interface Measurement {
  readonly scenario: string;
  readonly concurrency: number;
  readonly target: TargetName;
  readonly result: LoadResult;
  /** CPU µs of the proxy process per request (not for the direct upstream). */
  readonly cpuPerRequestUs?: number;
}

const f = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));

export function tableFor(rows: readonly Measurement[]): string {
  const out = [
    '| scenario | c | target | req/s | p50 ms | p99 ms | added p50 | added p99 | TTFT p50 | TTFT added | CPU µs/req | errors |',
    '| --- | --: | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const m of rows) {
    const direct = rows.find((r) => r.scenario === m.scenario && r.concurrency === m.concurrency && r.target === 'upstream (direct)');
    const isDirect = m.target === 'upstream (direct)';
    const r = m.result;
    const added = (a: number | undefined, b: number | undefined) => (isDirect || a === undefined || b === undefined ? undefined : a - b);
    out.push(
      `| ${m.scenario} | ${m.concurrency} | ${m.target} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${f(added(r.p50, direct?.result.p50))} | ${f(added(r.p99, direct?.result.p99))} | ${f(r.ttftP50)} | ${f(added(r.ttftP50, direct?.result.ttftP50))} | ${f(m.cpuPerRequestUs, 0)} | ${r.errors} |`,
    );
  }
  return out.join('\n');
}

export interface TargetCheck {
  readonly name: string;
  readonly value: string;
  readonly ok: boolean;
}

function find(rows: readonly Measurement[], scenario: string, c: number, target: TargetName): Measurement | undefined {
  return rows.find((r) => r.scenario === scenario && r.concurrency === c && r.target === target);
}

export function checkTargets(rows: readonly Measurement[], scenarios: { fast: string; slow: string; stream: string }, rssAfterMb: number): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const gw = (s: string, c: number) => find(rows, s, c, 'Switchboard');
  const bl = (s: string, c: number) => find(rows, s, c, 'express + HPM');
  const up = (s: string, c: number) => find(rows, s, c, 'upstream (direct)');

  const g0 = gw(scenarios.fast, 32);
  const b0 = bl(scenarios.fast, 32);
  if (g0 && b0) {
    checks.push({
      name: 'throughput, 0 ms upstream, c=32: Switchboard ≥ express+HPM',
      value: `${f(g0.result.rps, 0)} vs ${f(b0.result.rps, 0)} req/s (${f((100 * g0.result.rps) / b0.result.rps, 0)}%)`,
      ok: g0.result.rps >= b0.result.rps,
    });
    checks.push({
      name: 'CPU per request, 0 ms upstream, c=32: ≤ 300 µs',
      value: `${f(g0.cpuPerRequestUs, 0)} µs (express+HPM: ${f(b0.cpuPerRequestUs, 0)} µs)`,
      ok: (g0.cpuPerRequestUs ?? Infinity) <= 300,
    });
  }
  const g50 = gw(scenarios.slow, 64);
  const b50 = bl(scenarios.slow, 64);
  const u50 = up(scenarios.slow, 64);
  if (g50 && b50 && u50) {
    const gAdded = g50.result.p50 - u50.result.p50;
    const bAdded = b50.result.p50 - u50.result.p50;
    const gAdded99 = g50.result.p99 - u50.result.p99;
    checks.push({
      name: 'added p50, 50 ms upstream, c=64: within 0.5 ms of express+HPM',
      value: `${f(gAdded)} ms vs ${f(bAdded)} ms (Δ ${f(gAdded - bAdded)} ms)`,
      ok: gAdded - bAdded <= 0.5,
    });
    checks.push({ name: 'added p99, 50 ms upstream, c=64: ≤ 5 ms', value: `${f(gAdded99)} ms`, ok: gAdded99 <= 5 });
  }
  for (const c of [32, 64]) {
    const g = gw(scenarios.stream, c);
    const b = bl(scenarios.stream, c);
    const u = up(scenarios.stream, c);
    if (g && b && u && g.result.ttftP50 !== undefined && b.result.ttftP50 !== undefined && u.result.ttftP50 !== undefined) {
      const gAdded = g.result.ttftP50 - u.result.ttftP50;
      const bAdded = b.result.ttftP50 - u.result.ttftP50;
      checks.push({
        name: `TTFT added (p50), streaming, c=${c}: within 0.5 ms of express+HPM`,
        value: `${f(gAdded)} ms vs ${f(bAdded)} ms (Δ ${f(gAdded - bAdded)} ms)`,
        ok: gAdded - bAdded <= 0.5,
      });
    }
  }
  checks.push({ name: 'gateway RSS after the runs < 150 MB', value: `${f(rssAfterMb, 0)} MB`, ok: rssAfterMb < 150 });
  return checks;
}

export function checksTable(checks: readonly TargetCheck[]): string {
  return ['| target | measured | met |', '| --- | --- | :-: |', ...checks.map((c) => `| ${c.name} | ${c.value} | ${c.ok ? 'yes' : '**no**'} |`)].join('\n');
}
