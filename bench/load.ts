/**
 * Load generators: autocannon for request/response (latencies taken from its per-response event,
 * which has sub-millisecond resolution, unlike its integer-millisecond histogram), and a small
 * closed-loop streaming client that also records the time to the first content token.
 */
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Target {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** One run's raw samples; runs of the same case are merged before the percentiles. */
export interface RawLoad {
  readonly latencies: number[];
  readonly ttfts: number[];
  readonly errors: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ttftP50?: number;
  readonly ttftP99?: number;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(runs: readonly RawLoad[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies);
  const ttfts = runs.flatMap((r) => r.ttfts);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const lat = Float64Array.from(latencies).sort();
  const first = Float64Array.from(ttfts).sort();
  return {
    requests: lat.length,
    errors,
    rps: lat.length / seconds,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    ...(first.length > 0 ? { ttftP50: percentile(first, 50), ttftP99: percentile(first, 99) } : {}),
  };
}

export function runAutocannon(target: Target, body: string, connections: number, seconds: number): Promise<RawLoad> {
  const latencies: number[] = [];
  let errors = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...target.headers },
        connections,
        duration: seconds,
        pipelining: 1,
        timeout: 30,
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({ latencies, ttfts: [], errors: errors + result.errors + result.timeouts, seconds: result.duration || seconds });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else errors++;
    });
  });
}

// The first SSE payload that carries a non-empty content delta (same test for every target).
const CONTENT = /"content":"[^"]/;

/** `connections` concurrent loops of streamed requests for `seconds`; TTFT = first content token. */
export async function runStreaming(target: Target, body: string, connections: number, seconds: number): Promise<RawLoad> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(target.url);
  const latencies: number[] = [];
  const ttfts: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      let ttft = -1;
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...target.headers },
        },
        (res) => {
          res.setEncoding('utf8');
          res.on('data', (text: string) => {
            if (ttft < 0 && CONTENT.test(text)) ttft = performance.now() - t0;
          });
          res.on('end', () => {
            const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300 && ttft >= 0;
            if (ok) {
              latencies.push(performance.now() - t0);
              ttfts.push(ttft);
            } else errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const loop = async () => {
    while (performance.now() < until) await one();
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  return { latencies, ttfts, errors, seconds: (performance.now() - started) / 1000 };
}
