/**
 * A client that hangs up before the answer is not a gateway failure: the request log line says
 * status 499 and aborted, the HTTP metrics count a 499, and no error is logged.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

let upstream: FakeOpenAI;
let server: TestServer;

beforeAll(async () => {
  upstream = await startFakeOpenAI({ behaviour: { kind: 'hang' } });
  server = await startTestServer(
    mockConfig({
      providers: [{ name: 'stuck', type: 'openai', base_url: upstream.url, api_key: 'sk-test', timeout_ms: 30_000 }],
      models: [{ id: 'stuck-model', provider: 'stuck', categories: ['text', 'code'], pricing: { input_per_1m: 1, output_per_1m: 1 } }],
      aliases: {},
      routing: { categories: { text: { policy: 'fixed', models: ['stuck-model'] }, code: { policy: 'fixed', models: ['stuck-model'] } } },
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await upstream?.close();
});

function hangUpAfterUpstreamCall(): Promise<void> {
  const before = upstream.requests.length;
  return new Promise((resolve) => {
    const req = httpRequest(new URL('/v1/chat/completions', server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json', 'x-request-id': 'hang-up-0001' },
    });
    req.on('error', () => resolve());
    req.end(JSON.stringify({ model: 'stuck-model', messages: [{ role: 'user', content: 'hello' }] }));
    const poll = setInterval(() => {
      if (upstream.requests.length > before) {
        clearInterval(poll);
        req.destroy();
        resolve();
      }
    }, 5);
  });
}

describe('a client that hangs up before the answer', () => {
  it('is logged and counted as 499 (aborted), not as an error or a 200', async () => {
    await hangUpAfterUpstreamCall();
    const lines = () => server.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    await expect
      .poll(() => lines().find((l) => l['requestId'] === 'hang-up-0001' && l['event'] === 'request'))
      .toMatchObject({ status: 499, aborted: true, level: 'info' });
    // Give a wrongly reported failure time to show up.
    await new Promise((r) => setTimeout(r, 100));
    expect(lines().filter((l) => l['level'] === 'error')).toEqual([]);
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('switchboard_http_requests_total{method="POST",route="/v1/chat/completions",status="499"} 1');
    expect(metrics).not.toMatch(/switchboard_http_requests_total\{method="POST",route="\/v1\/chat\/completions",status="(200|500)"\}/);
  });
});
