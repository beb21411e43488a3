import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../helpers/chat-request.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { itWithBinary, parseSamples, requireBinary, run, sampleValue } from './prom-tools.js';

const SECRET_PATH_TEXT = 'my-private-prompt-words';

async function scrape(server: TestServer, token?: string): Promise<{ status: number; text: string; contentType: string | null }> {
  const res = await fetch(`${server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
}

describe('GET /metrics', () => {
  let server: TestServer;
  let text: string;

  beforeAll(async () => {
    const base = mockConfig();
    server = await startTestServer({
      ...base,
      providers: [
        { name: 'local-mock', type: 'mock' },
        { name: 'broken', type: 'mock', failure_rate: 1, fail_status: 503 },
      ],
      models: [
        ...(base['models'] as object[]),
        { id: 'mock-broken', provider: 'broken', categories: ['text'], pricing: { input_per_1m: 1, output_per_1m: 1 } },
      ],
      routing: {
        circuit_breaker: { failures: 1, window_s: 60, cooldown_s: 600 },
        categories: { text: { policy: 'fixed', models: ['mock-broken', 'mock-fast'] }, code: { policy: 'bandit', models: ['mock-smart', 'mock-fast'] } },
      },
      rate_limits: { default_rpm: 6 },
    });
    // 1: mock-broken fails (503) → fallback to mock-fast; its breaker opens.
    expect((await postChat(server.url, TEST_ADMIN_KEY, {})).status).toBe(200);
    // 2: streaming, mock-broken is skipped (open breaker).
    const streamed = await postChat(server.url, TEST_ADMIN_KEY, { stream: true, stream_options: { include_usage: true } });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('x-switchboard-overhead-ms')).toMatch(/^\d+\.\d\d$/);
    // 3: code → bandit policy, so the posterior gauge has something to show.
    expect((await postChat(server.url, TEST_ADMIN_KEY, { messages: [{ role: 'user', content: 'fix this python code: ```print(1)```' }] })).status).toBe(200);
    // 4: unknown route with user text in the path; 5: a key id in a templated route.
    await fetch(`${server.url}/nope/${SECRET_PATH_TEXT}`);
    await fetch(`${server.url}/api/keys/0f4a6c1e-0000-4000-8000-${'1'.repeat(12)}`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    // 6, 7: use up the limit of 6 (the 404 above counted too) → 429.
    await postChat(server.url, TEST_ADMIN_KEY, {});
    await postChat(server.url, TEST_ADMIN_KEY, {});
    expect((await postChat(server.url, TEST_ADMIN_KEY, {})).status).toBe(429);
    const scraped = await scrape(server);
    expect(scraped.status).toBe(200);
    expect(scraped.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    text = scraped.text;
  });
  afterAll(() => server.close());

  itWithBinary('promtool')('passes `promtool check metrics`', async () => {
    const promtool = requireBinary('promtool');
    const result = await run(promtool, ['check', 'metrics'], text);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('counts HTTP requests by route template and status, never by raw path', () => {
    expect(sampleValue(text, 'switchboard_http_requests_total', { method: 'POST', route: '/v1/chat/completions', status: '200' })).toBe(5);
    expect(sampleValue(text, 'switchboard_http_requests_total', { route: '/v1/chat/completions', status: '429' })).toBe(1);
    expect(sampleValue(text, 'switchboard_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sampleValue(text, 'switchboard_http_requests_total', { method: 'GET', route: '/api/keys/:id' })).toBe(1);
    expect(text).not.toContain(SECRET_PATH_TEXT);
    expect(text).not.toContain('111111111111');
    expect(text).not.toContain(TEST_ADMIN_KEY);
    expect(sampleValue(text, 'switchboard_http_request_duration_seconds_count', { route: '/v1/chat/completions', status: '200' })).toBe(5);
  });

  it('reports routing, upstream, fallback, token, cost and latency series by model', () => {
    // The open breaker takes mock-broken out of the candidates after the first request.
    expect(sampleValue(text, 'switchboard_routing_decisions_total', { category: 'text', model: 'mock-broken', policy: 'fixed' })).toBe(1);
    expect(sampleValue(text, 'switchboard_routing_decisions_total', { category: 'text', model: 'mock-fast', policy: 'fixed' })).toBe(3);
    expect(sampleValue(text, 'switchboard_upstream_errors_total', { provider: 'broken', reason: 'upstream_unavailable' })).toBe(1);
    expect(sampleValue(text, 'switchboard_fallbacks_total', { from_model: 'mock-broken', to_model: 'mock-fast', reason: 'upstream_unavailable' })).toBe(1);
    // The code request went to mock-smart or mock-fast (the bandit samples); 5 answered in all.
    const ok = parseSamples(text).filter(
      (x) => x.name === 'switchboard_upstream_requests_total' && x.labels['provider'] === 'local-mock' && x.labels['outcome'] === 'ok',
    );
    expect(ok.reduce((n, x) => n + x.value, 0)).toBe(5);
    expect(sampleValue(text, 'switchboard_tokens_total', { model: 'mock-fast', direction: 'input' })).toBeGreaterThan(0);
    expect(sampleValue(text, 'switchboard_tokens_total', { model: 'mock-fast', direction: 'output' })).toBeGreaterThan(0);
    expect(sampleValue(text, 'switchboard_cost_usd_total', { model: 'mock-fast' })).toBeGreaterThan(0);
    expect(sampleValue(text, 'switchboard_time_to_first_token_seconds_count', { model: 'mock-fast' })).toBe(1);
    expect(sampleValue(text, 'switchboard_upstream_latency_seconds_count', { provider: 'broken', model: 'mock-broken', outcome: 'error' })).toBe(1);
    expect(sampleValue(text, 'switchboard_completions_total', { model: 'mock-fast', stream: 'true' })).toBe(1);
    expect(sampleValue(text, 'switchboard_gateway_overhead_seconds_count', { stream: 'true' })).toBe(1);
    expect(sampleValue(text, 'switchboard_gateway_overhead_seconds_count', { stream: 'false' })).toBe(4);
    expect(sampleValue(text, 'switchboard_active_streams')).toBe(0);
  });

  it('shows circuit breaker state, rate-limited requests and bandit posteriors', () => {
    expect(sampleValue(text, 'switchboard_circuit_breaker_state', { model: 'mock-broken' })).toBe(2);
    expect(sampleValue(text, 'switchboard_circuit_breaker_state', { model: 'mock-fast' })).toBe(0);
    expect(sampleValue(text, 'switchboard_circuit_breaker_transitions_total', { model: 'mock-broken', state: 'open' })).toBe(1);
    expect(sampleValue(text, 'switchboard_rate_limited_requests_total', { limit: 'requests' })).toBe(1);
    const mean =
      sampleValue(text, 'switchboard_bandit_posterior_mean', { policy: 'bandit', category: 'code', model: 'mock-smart' }) ??
      sampleValue(text, 'switchboard_bandit_posterior_mean', { policy: 'bandit', category: 'code', model: 'mock-fast' });
    expect(mean).toBeGreaterThan(0);
    expect(mean).toBeLessThanOrEqual(1);
  });

  it('includes Node process and event-loop metrics', () => {
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });
});

describe('GET /metrics access', () => {
  it('requires metrics.token as a bearer token when set (401 in the seed format)', async () => {
    const server = await startTestServer(mockConfig({ metrics: { enabled: true, token: 'scrape-secret-1' } }));
    try {
      const missing = await scrape(server);
      expect(missing.status).toBe(401);
      expect(JSON.parse(missing.text)).toEqual({ error: expect.stringMatching(/metrics token/i) });
      const wrong = await scrape(server, 'scrape-secret-2');
      expect(wrong.status).toBe(401);
      expect(wrong.text).not.toContain('scrape-secret');
      const right = await scrape(server, 'scrape-secret-1');
      expect(right.status).toBe(200);
      expect(right.text).toContain('switchboard_http_requests_total');
      expect(server.logs.join('\n')).not.toContain('scrape-secret');
    } finally {
      await server.close();
    }
  });

  it('is a 404 when metrics are disabled', async () => {
    const server = await startTestServer(mockConfig({ metrics: { enabled: false } }));
    try {
      expect((await scrape(server)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('counts open streams in switchboard_active_streams', async () => {
    const server = await startTestServer(
      mockConfig({ providers: [{ name: 'local-mock', type: 'mock', tokens_per_second: 50, reply: Array.from({ length: 25 }, (_, i) => `w${i}`).join(' ') }] }),
    );
    try {
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      const reader = res.body!.getReader();
      await reader.read();
      expect(sampleValue((await scrape(server)).text, 'switchboard_active_streams')).toBe(1);
      while (!(await reader.read()).done);
      await expect.poll(async () => sampleValue((await scrape(server)).text, 'switchboard_active_streams')).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('keeps each server in its own registry', async () => {
    const [a, b] = await Promise.all([startTestServer(), startTestServer()]);
    try {
      await postChat(a.url, TEST_ADMIN_KEY, {});
      const fromA = (await scrape(a)).text;
      const fromB = (await scrape(b)).text;
      expect(sampleValue(fromA, 'switchboard_http_requests_total', { route: '/v1/chat/completions', status: '200' })).toBe(1);
      expect(sampleValue(fromB, 'switchboard_http_requests_total', { route: '/v1/chat/completions', status: '200' })).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
