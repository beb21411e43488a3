/**
 * Starts the three processes under test: the fake upstream, the bare express + HPM proxy and the
 * real Switchboard (`node bin/switchboard.js start`, a generated config with every subsystem on,
 * logs at info level to a file), plus a live `chat` key with credits for the load.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { spawnChild, type Child } from './procs.js';

export const ROOT = resolve(import.meta.dirname, '..');

/** The node flags `npm start` runs the server with (package.json), so the benchmark runs what users run. */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const words = (pkg.scripts?.start ?? '').trim().split(/\s+/);
  const script = words.indexOf('bin/switchboard.js');
  if (words[0] !== 'node' || script === -1) throw new Error('package.json scripts.start must be "node [flags] bin/switchboard.js start"');
  return words.slice(1, script);
}
const TSX = ['--import', 'tsx'];

export interface Processes {
  readonly upstream: Child & { readonly url: string };
  readonly baseline: Child & { readonly url: string };
  /** express + JSON + undici with no subsystems (bench/floor-proxy.ts). */
  readonly floor: Child & { readonly url: string };
  /** The same handler on node:http alone (bench/floor-proxy.ts http): what express costs. */
  readonly floorHttp: Child & { readonly url: string };
  readonly gateway: Child & { readonly url: string };
  readonly key: string;
  readonly adminKey: string;
  readonly logFile: string;
  /** Which subsystems answered the probes (credits, rate limits, metrics, request log). */
  readonly subsystems: Record<string, string>;
  setUpstreamDelay(ms: number): Promise<void>;
  stopAll(): Promise<void>;
}

function gatewayConfig(dir: string, upstreamUrl: string, adminKey: string): Record<string, unknown> {
  return {
    server: { port: 0, host: '127.0.0.1', body_limit: '1mb' },
    database: { url: `sqlite:${join(dir, 'bench.db')}` },
    auth: { admin_keys: [adminKey], schemes: ['api-key'] },
    rate_limits: { default_rpm: 100_000_000 },
    billing: { overhead: 0.025, promo_codes: [{ code: 'BENCHCREDITS', credits: 1_000_000, max_redemptions: 10 }] },
    plugins: { dir: join(dir, 'plugins') },
    providers: [{ name: 'upstream', type: 'openai', base_url: `${upstreamUrl}/v1`, api_key: 'sk-bench-upstream-credential', timeout_ms: 30_000 }],
    models: [
      {
        id: 'bench-model',
        provider: 'upstream',
        upstream_model: 'bench-upstream',
        categories: ['text', 'code'],
        pricing: { input_per_1m: 0.1, output_per_1m: 0.2 },
      },
    ],
    routing: {
      classifier: { type: 'rules' },
      categories: { text: { policy: 'bandit', models: ['bench-model'] }, code: { policy: 'bandit', models: ['bench-model'] } },
    },
    metrics: { enabled: true },
    logging: { level: 'info', log_prompts: false },
  };
}

async function post(url: string, auth: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const PROBE_REQUEST_ID = 'bench-probe-0001';

async function probe(gatewayUrl: string, adminKey: string, key: string, logFile: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  const grant = await post(`${gatewayUrl}/api/admin/accounts/default/credits`, adminKey, { amount: 1_000_000, note: 'benchmark' }).catch(() => undefined);
  let credits = grant?.ok ? 'on (granted via admin API)' : '';
  if (!credits) {
    const redeem = await post(`${gatewayUrl}/api/redeem`, key, { code: 'BENCHCREDITS' }).catch(() => undefined);
    credits = redeem?.ok ? 'on (promo code redeemed)' : `off (grant → ${grant?.status ?? 'error'}, redeem → ${redeem?.status ?? 'error'})`;
  }
  const chat = await post(
    `${gatewayUrl}/v1/chat/completions`,
    key,
    { model: 'bench-model', messages: [{ role: 'user', content: 'probe' }] },
    { 'x-request-id': PROBE_REQUEST_ID },
  );
  await chat.text();
  if (chat.status !== 200) throw new Error(`the gateway answered the probe with ${chat.status}`);
  await new Promise((r) => setTimeout(r, 200));
  // Lines about the probe itself (other requests' lines may be flushed in the same window).
  const probeLines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"requestId":"${PROBE_REQUEST_ID}"`)).length;
  found['credits / billing'] = credits;
  found['rate limits'] = chat.headers.get('x-ratelimit-limit')
    ? `on (X-RateLimit-Limit ${chat.headers.get('x-ratelimit-limit')})`
    : 'off (no X-RateLimit-* headers)';
  const metrics = await fetch(`${gatewayUrl}/metrics`).catch(() => undefined);
  found['metrics'] = metrics?.ok ? 'on (/metrics 200)' : `off (/metrics → ${metrics?.status ?? 'error'})`;
  found['request log'] = probeLines > 0 ? `on (${probeLines} line(s) per request, info level, to a file)` : 'off (no log line per request)';
  found['routing'] = 'bandit policy + rules classifier configured (requests name the model; one row uses model=auto)';
  found['auth'] = 'api-key (a live key with the chat scope, looked up in SQLite)';
  return found;
}

/** Compiles src/ and plugins/ to dist/ (what the Docker image runs) with the project's tsc. */
function buildDist(): void {
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    // tsc still emits when some file has a type error (e.g. work in progress elsewhere).
    if (!existsSync(join(ROOT, 'dist/src/cli.js'))) throw new Error('building dist/ failed');
  }
  // The precompiled config validator, as `npm run build` writes it.
  execFileSync(process.execPath, [join(ROOT, 'dist/src/config/write-precompiled.js')], { cwd: ROOT, stdio: 'ignore' });
}

export async function startProcesses(dir: string, options: { profileDir?: string; allocProfile?: string; dist?: boolean } = {}): Promise<Processes> {
  const started: Child[] = [];
  try {
    const upstream = await spawnChild([...TSX, join(ROOT, 'bench/fake-upstream.ts')], { stdoutFile: join(dir, 'upstream.out'), ready: /listening (\d+)/ });
    started.push(upstream);
    const upstreamUrl = `http://127.0.0.1:${upstream.match}`;
    const baseline = await spawnChild([...TSX, join(ROOT, 'bench/baseline-proxy.ts'), upstreamUrl], {
      env: { ...process.env, NODE_ENV: 'production' },
      stdoutFile: join(dir, 'baseline.out'),
      ready: /listening (\d+)/,
    });
    started.push(baseline);
    const floor = await spawnChild([...TSX, join(ROOT, 'bench/floor-proxy.ts'), upstreamUrl], {
      env: { ...process.env, NODE_ENV: 'production' },
      stdoutFile: join(dir, 'floor.out'),
      ready: /listening (\d+)/,
    });
    started.push(floor);
    const floorHttp = await spawnChild([...TSX, join(ROOT, 'bench/floor-proxy.ts'), upstreamUrl, 'http'], {
      env: { ...process.env, NODE_ENV: 'production' },
      stdoutFile: join(dir, 'floor-http.out'),
      ready: /listening (\d+)/,
    });
    started.push(floorHttp);

    const adminKey = `bkb_${randomBytes(24).toString('hex')}`;
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, stringify(gatewayConfig(dir, upstreamUrl, adminKey)));
    if (options.dist) buildDist();
    const env = {
      PATH: process.env['PATH'],
      ...(process.env['BENCH_GATEWAY_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_GATEWAY_NODE_OPTIONS'] } : {}),
      ...(process.env['SWITCHBOARD_V8_FLAGS'] !== undefined ? { SWITCHBOARD_V8_FLAGS: process.env['SWITCHBOARD_V8_FLAGS'] } : {}),
      SWITCHBOARD_CONFIG: configPath,
      NODE_ENV: 'production',
      ...(options.allocProfile ? { SWITCHBOARD_ALLOC_PROFILE: options.allocProfile } : {}),
      ...(options.dist ? { SWITCHBOARD_USE_DIST: '1' } : {}),
    };
    const created = execFileSync(process.execPath, [join(ROOT, 'bin/switchboard.js'), 'keys', 'create', '--name', 'bench', '--scopes', 'chat'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    const key = created.trim().split('\n').at(-1)!.trim();

    const logFile = join(dir, 'gateway.log');
    const profile = [
      ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
      ...(options.allocProfile ? ['--import', join(ROOT, 'bench/alloc-profile.mjs')] : []),
    ];
    const gateway = await spawnChild([...startNodeFlags(), ...profile, join(ROOT, 'bin/switchboard.js'), 'start'], {
      cwd: dir,
      env,
      stdoutFile: logFile,
      ready: /listening on (http:\/\/\S+)/,
    });
    started.push(gateway);
    const subsystems = await probe(gateway.match, adminKey, key, logFile);
    return {
      upstream: { ...upstream, url: upstreamUrl },
      baseline: { ...baseline, url: `http://127.0.0.1:${baseline.match}` },
      floor: { ...floor, url: `http://127.0.0.1:${floor.match}` },
      floorHttp: { ...floorHttp, url: `http://127.0.0.1:${floorHttp.match}` },
      gateway: { ...gateway, url: gateway.match },
      key,
      adminKey,
      logFile,
      subsystems,
      async setUpstreamDelay(ms) {
        await (await fetch(`${upstreamUrl}/__delay/${ms}`, { method: 'POST' })).text();
      },
      async stopAll() {
        for (const child of started.reverse()) await child.stop();
      },
    };
  } catch (err) {
    for (const child of started.reverse()) await child.stop();
    throw err;
  }
}
