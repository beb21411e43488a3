/**
 * `npm run bench`: Switchboard against a bare express + http-proxy-middleware proxy and against
 * the fake upstream called directly, non-streaming (upstream 0 ms and 50 ms) and streaming
 * (20 chunks), at concurrency 32 and 64. Writes bench/results.md.
 *   --duration S      seconds measured per target and case (default 6)
 *   --rounds N        interleaved slices those seconds are split into (default 3)
 *   --profile DIR     run the gateway with --cpu-prof, profile written to DIR at the end
 *   --alloc-profile F sampling heap profile of the gateway (garbage included) written to F at
 *                     the end; read it with bench/alloc-top.ts
 *   --quick           only non-streaming, upstream 0 ms, c=32 (for profiling iterations)
 *   --tsx             run the gateway from the TypeScript sources through tsx (`npm start`)
 *                     instead of the compiled dist/ (what the Docker image runs; built first)
 *   --soak            10 minutes of mixed load, RSS over time (bench/results-soak.md)
 *   --soak-minutes M  soak length (default 10)
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAutocannon, runStreaming, summarize, type RawLoad, type Target } from './load.js';
import { cpuMicros, rssMb } from './procs.js';
import { checksTable, checkTargets, tableFor, type Measurement, type TargetName } from './report.js';
import { ROOT, startProcesses, type Processes } from './setup.js';
import { runSoak } from './soak.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'string' },
    'alloc-profile': { type: 'string' },
    soak: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    tsx: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string', default: '10' },
  },
});
const seconds = Number(values.duration);
const rounds = Math.max(1, Number(values.rounds));

const FAST = 'non-stream, upstream 0 ms';
const SLOW = 'non-stream, upstream 50 ms';
const STREAM = 'stream 20 chunks, upstream 0 ms';
const SCENARIOS = [
  { name: FAST, delay: 0, stream: false },
  { name: SLOW, delay: 50, stream: false },
  { name: STREAM, delay: 0, stream: true },
] as const;

const body = (model: string, stream: boolean) =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello in one short sentence.' }], ...(stream ? { stream: true } : {}) });
const log = (line: string) => process.stdout.write(`${line}\n`);

function targets(p: Processes): Omit<Case, 'runs' | 'cpuUs'>[] {
  const gatewayTarget = { url: `${p.gateway.url}/v1/chat/completions`, headers: { authorization: `Bearer ${p.key}` } };
  return [
    { name: 'upstream (direct)', target: { url: `${p.upstream.url}/v1/chat/completions`, headers: {} }, model: 'bench-upstream' },
    { name: 'express + HPM', target: { url: `${p.baseline.url}/v1/chat/completions`, headers: {} }, pid: p.baseline.pid, model: 'bench-upstream' },
    {
      name: 'express + JSON + undici (no subsystems)',
      target: { url: `${p.floor.url}/v1/chat/completions`, headers: {} },
      pid: p.floor.pid,
      model: 'bench-upstream',
    },
    {
      name: 'node:http + JSON + undici (no express)',
      target: { url: `${p.floorHttp.url}/v1/chat/completions`, headers: {} },
      pid: p.floorHttp.pid,
      model: 'bench-upstream',
    },
    { name: 'Switchboard', target: gatewayTarget, pid: p.gateway.pid, model: 'bench-model' },
  ];
}

function gatewayOf<T extends { readonly name: TargetName }>(list: readonly T[]): T {
  const gateway = list.find((t) => t.name === 'Switchboard');
  if (!gateway) throw new Error('no Switchboard target');
  return gateway;
}

interface Case {
  readonly name: TargetName;
  readonly target: Target;
  readonly pid?: number;
  readonly model: string;
  readonly runs: RawLoad[];
  cpuUs: number;
}

/**
 * Every target of a case is measured in `rounds` interleaved slices (direct, baseline, gateway,
 * direct, …) so a change in background load hits all of them alike; samples are merged.
 */
async function measureCase(list: readonly Omit<Case, 'runs' | 'cpuUs'>[], stream: boolean, c: number): Promise<Case[]> {
  const cases: Case[] = list.map((t) => ({ ...t, runs: [], cpuUs: 0 }));
  const slice = Math.max(1, seconds / rounds);
  for (let round = 0; round < rounds; round++) {
    for (const k of cases) {
      const payload = body(k.model, stream);
      const before = k.pid ? cpuMicros(k.pid) : 0;
      k.runs.push(await (stream ? runStreaming(k.target, payload, c, slice) : runAutocannon(k.target, payload, c, slice)));
      if (k.pid) k.cpuUs += cpuMicros(k.pid) - before;
    }
  }
  return cases;
}

async function warmUp(p: Processes): Promise<void> {
  log('warming up (JIT, connection pools)…');
  await p.setUpstreamDelay(0);
  for (const t of targets(p)) {
    await runAutocannon(t.target, body(t.model, false), 32, 3);
    await runStreaming(t.target, body(t.model, true), 32, 1);
  }
  const gw = gatewayOf(targets(p));
  await runAutocannon(gw.target, body('auto', false), 32, 1);
}

async function benchmark(p: Processes): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  for (const scenario of values.quick ? SCENARIOS.slice(0, 1) : SCENARIOS) {
    await p.setUpstreamDelay(scenario.delay);
    for (const c of values.quick ? [32] : [32, 64]) {
      const list: Omit<Case, 'runs' | 'cpuUs'>[] = targets(p);
      if (scenario.name === FAST && c === 32) list.push({ ...gatewayOf(list), name: 'Switchboard (model=auto)', model: 'auto' });
      for (const k of await measureCase(list, scenario.stream, c)) {
        const result = summarize(k.runs);
        const cpuPerRequestUs = k.pid ? k.cpuUs / Math.max(1, result.requests + result.errors) : undefined;
        rows.push({ scenario: scenario.name, concurrency: c, target: k.name, result, ...(cpuPerRequestUs !== undefined ? { cpuPerRequestUs } : {}) });
        log(
          `${scenario.name.padEnd(32)} c=${String(c).padEnd(3)} ${k.name.padEnd(26)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms${result.ttftP50 !== undefined ? `  ttft p50 ${result.ttftP50.toFixed(2)} ms` : ''}${cpuPerRequestUs !== undefined ? `  ${cpuPerRequestUs.toFixed(0)} µs CPU/req` : ''}${result.errors ? `  errors ${result.errors}` : ''}`,
        );
      }
    }
  }
  return rows;
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, ${process.platform}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const profileDir = values.profile ? resolve(values.profile) : undefined;
  const allocProfile = values['alloc-profile'] ? resolve(values['alloc-profile']) : undefined;
  const p = await startProcesses(dir, { dist: !values.tsx, ...(profileDir ? { profileDir } : {}), ...(allocProfile ? { allocProfile } : {}) });
  try {
    log(`gateway pid ${p.gateway.pid} at ${p.gateway.url}; baseline pid ${p.baseline.pid}; upstream ${p.upstream.url}`);
    for (const [k, v] of Object.entries(p.subsystems)) log(`  ${k}: ${v}`);
    if (values.soak) {
      const md = await runSoak(p, Number(values['soak-minutes']), log);
      writeFileSync(join(ROOT, 'bench/results-soak.md'), md);
      log('wrote bench/results-soak.md');
      return;
    }
    const startedAt = Date.now();
    const loadBefore = loadavg()[0]!;
    await warmUp(p);
    const rows = await benchmark(p);
    const rssAfter = rssMb(p.gateway.pid);
    const baselineRss = rssMb(p.baseline.pid);
    const floorRss = rssMb(p.floor.pid);
    const floorHttpRss = rssMb(p.floorHttp.pid);
    const checks = checkTargets(rows, { fast: FAST, slow: SLOW, stream: STREAM }, rssAfter);
    const logBytes = statSync(p.logFile).size;
    const md = [
      '# Benchmark results',
      '',
      `Run ${new Date().toISOString()} on ${machine()}; ${seconds} s per target and case (in ${rounds} interleaved slices) after a warm-up; load generator, fake upstream, baseline proxy and gateway all on this machine (separate processes).`,
      'Latencies are client-side; "added" is over calling the fake upstream directly at the same concurrency; TTFT is the time to the first content token; CPU is utime+stime of the proxy process over the run ÷ requests.',
      '',
      `Machine load average (1 min) at the start ${loadBefore.toFixed(1)}, at the end ${loadavg()[0]!.toFixed(1)} (other work on the machine shifts absolute numbers; the interleaving keeps the comparisons fair).`,
      '',
      '## Subsystems active in the gateway',
      '',
      `- code: ${values.tsx ? 'TypeScript sources through tsx (npm start)' : 'compiled dist/ (as in the Docker image)'}, NODE_ENV=production`,
      ...Object.entries(p.subsystems).map(([k, v]) => `- ${k}: ${v}`),
      `- request log written during the run: ${(logBytes / 2 ** 20).toFixed(1)} MB`,
      '',
      '## Targets',
      '',
      checksTable(checks),
      '',
      '## All measurements',
      '',
      tableFor(rows),
      '',
      `RSS after the runs: Switchboard ${rssAfter.toFixed(0)} MB, express + HPM ${baselineRss.toFixed(0)} MB, express + JSON + undici ${floorRss.toFixed(0)} MB, node:http + JSON + undici ${floorHttpRss.toFixed(0)} MB. Whole run: ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`,
      '',
    ].join('\n');
    if (!values.quick) writeFileSync(join(ROOT, 'bench/results.md'), md);
    log('');
    log(checksTable(checks));
    if (!values.quick) log('\nwrote bench/results.md');
  } finally {
    const logged = allocProfile
      ? readFileSync(p.logFile, 'utf8')
          .split('\n')
          .filter((l) => l.includes('"event":"request"')).length
      : 0;
    await p.stopAll();
    rmSync(dir, { recursive: true, force: true });
    if (allocProfile)
      log(`allocation profile: ${allocProfile} (${logged} requests served); read it with: npx tsx bench/alloc-top.ts ${allocProfile} ${logged}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
