/** Provider errors name the provider as configured in YAML (`name`), not the plugin type. */
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

let server: TestServer;

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const port = await closedPort();
  const base = mockConfig();
  server = await startTestServer({
    ...base,
    providers: [
      { name: 'local-mock', type: 'mock' },
      { name: 'openai-eu', type: 'openai', base_url: `http://127.0.0.1:${port}/v1`, api_key: 'sk-x', timeout_ms: 2000 },
      { name: 'claude-team', type: 'anthropic', base_url: `http://127.0.0.1:${port}`, api_key: 'sk-ant-x', timeout_ms: 2000 },
    ],
    models: [
      ...(base['models'] as unknown[]),
      { id: 'eu-model', provider: 'openai-eu', categories: ['text'], pricing: { input_per_1m: 1, output_per_1m: 1 } },
      { id: 'claude-model', provider: 'claude-team', categories: ['text'], pricing: { input_per_1m: 1, output_per_1m: 1 } },
    ],
  });
});

afterAll(async () => server?.close());

it.each([
  ['eu-model', 'openai-eu', 'openai'],
  ['claude-model', 'claude-team', 'anthropic'],
])('an unreachable %s names provider %s', async (model, name, type) => {
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(res.status).toBe(502);
  const { error } = (await res.json()) as { error: { message: string } };
  expect(error.message).toContain(`Provider ${name} `);
  expect(error.message).not.toContain(`Provider ${type} `);
});
