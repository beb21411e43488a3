/**
 * A real Prometheus scrapes the test server (every second, with the bearer token) and the
 * series are read back through its HTTP API. Bounded: Prometheus gets 20 s to become ready and
 * 20 s to show the expected values, then it is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { stringify } from 'yaml';
import { postChat } from '../helpers/chat-request.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { itWithBinary, requireBinary } from './prom-tools.js';

const TOKEN = 'e2e-scrape-token';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

interface QueryResult {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

async function query(base: string, promql: string): Promise<QueryResult[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data?: { result: QueryResult[] }; error?: string };
  if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
  return body.data?.result ?? [];
}

async function scalar(base: string, promql: string): Promise<number | undefined> {
  const [first] = await query(base, promql);
  return first ? Number(first.value[1]) : undefined;
}

async function dashboardQueries(): Promise<string[]> {
  const dashboard = JSON.parse(await readFile(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
    panels: { targets?: { expr: string }[] }[];
  };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

describe('Prometheus scraping Switchboard', () => {
  let server: TestServer | undefined;
  let prometheus: ChildProcess | undefined;
  let dir: string | undefined;
  let output = '';

  afterAll(async () => {
    if (prometheus) await stop(prometheus);
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  itWithBinary('prometheus')('reads the gateway series back through the Prometheus query API', { timeout: 60_000 }, async () => {
    const binary = requireBinary('prometheus');
    server = await startTestServer(mockConfig({ metrics: { enabled: true, token: TOKEN } }));
    dir = await mkdtemp(join(tmpdir(), 'switchboard-prometheus-'));
    const port = await freePort();
    const target = new URL(server.url).host;
    await writeFile(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        scrape_configs: [
          {
            job_name: 'switchboard',
            scrape_interval: '1s',
            scrape_timeout: '1s',
            authorization: { type: 'Bearer', credentials: TOKEN },
            static_configs: [{ targets: [target] }],
          },
        ],
      }),
    );
    prometheus = spawn(
      binary,
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    prometheus.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    const base = `http://127.0.0.1:${port}`;
    try {
      await until('Prometheus to be ready', 20_000, async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined));

      for (const stream of [false, false, true]) expect((await postChat(server.url, TEST_ADMIN_KEY, { stream })).status).toBe(200);

      const requests = await until('the chat requests to show up in Prometheus', 20_000, async () => {
        const value = await scalar(base, 'sum(switchboard_http_requests_total{job="switchboard",route="/v1/chat/completions",status="200"})');
        return value === 3 ? value : undefined;
      });
      expect(requests).toBe(3);
      expect(await scalar(base, 'up{job="switchboard"}')).toBe(1);
      expect(await scalar(base, 'sum(switchboard_tokens_total{model="mock-fast"})')).toBeGreaterThan(0);
      expect(await scalar(base, 'sum(switchboard_completions_total{stream="true"})')).toBe(1);
      expect(await scalar(base, 'sum(switchboard_routing_decisions_total{category="text",policy="fixed"})')).toBe(3);
      const p99 = await scalar(base, 'histogram_quantile(0.99, sum by (le) (switchboard_http_request_duration_seconds_bucket{route="/v1/chat/completions"}))');
      expect(p99).toBeGreaterThan(0);
      expect(await scalar(base, 'nodejs_eventloop_lag_seconds{job="switchboard"}')).toBeGreaterThanOrEqual(0);

      // Every query of the shipped Grafana dashboard is valid PromQL over these series.
      for (const expr of await dashboardQueries()) {
        const concrete = expr.replaceAll('$__rate_interval', '1m').replaceAll('$job', '.*').replaceAll('$model', '.*');
        await expect(query(base, concrete), concrete).resolves.toBeInstanceOf(Array);
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- prometheus output (tail) ---\n${output}`);
    }
  });
});
