/** Graceful drain: /readyz says 503 while in-flight requests finish; then the listener closes. */
import { expect, it } from 'vitest';
import { mockConfig, startTestServer, TEST_ADMIN_KEY } from '../helpers/start-server.js';

it('answers /readyz 503 during a drain, finishes the in-flight request, refuses new ones, then stops', async () => {
  const base = mockConfig();
  const server = await startTestServer({
    ...base,
    providers: [{ name: 'local-mock', type: 'mock', latency_ms: 1500 }],
    server: { shutdown_timeout_ms: 10_000 },
  });
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  const inFlight = fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'mock-fast', messages: [{ role: 'user', content: 'slow one' }] }),
  });
  await new Promise((r) => setTimeout(r, 300));
  const closing = server.close();
  await new Promise((r) => setTimeout(r, 100));

  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'draining' });
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const refused = await fetch(`${server.url}/v1/models`, { headers });
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');

  const answered = await inFlight;
  expect(answered.status).toBe(200);
  expect(((await answered.json()) as { model: string }).model).toBe('mock-fast');
  await closing;
  await expect(fetch(`${server.url}/readyz`)).rejects.toThrow();
});
