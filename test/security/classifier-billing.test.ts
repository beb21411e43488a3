/**
 * The `llm` classifier asks a paid model; it used to be called before the balance and key-limit
 * checks, so refused requests still cost the operator a classification. Now a request is held
 * against the cheapest possible model first: one the caller cannot pay for never reaches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

let classifierUpstream: FakeOpenAI;
let server: TestServer;

async function api(path: string, key: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  classifierUpstream = await startFakeOpenAI({ behaviour: { kind: 'ok', text: '{"category":"text","subcategory":"general","confidence":0.9}' } });
  server = await startTestServer(
    mockConfig({
      routing: {
        classifier: { type: 'llm', base_url: classifierUpstream.url, model: 'tiny', timeout_ms: 2000 },
        categories: { text: { policy: 'fixed', models: ['mock-fast'] } },
      },
    }),
  );
});
afterAll(async () => {
  await server?.close();
  await classifierUpstream?.close();
});

const chat = (key: string) => api('/v1/chat/completions', key, { model: 'auto', max_tokens: 50, messages: [{ role: 'user', content: 'summarize the news' }] });
const calls = () => classifierUpstream.requests.filter((r) => r.path === '/v1/chat/completions').length;

describe('the llm classifier and billing', () => {
  it('is not called for an account without credits, nor for a key whose limit is used up', async () => {
    const account = ((await (await api('/api/admin/accounts', TEST_ADMIN_KEY, { name: 'broke' })).json()) as { id: string }).id;
    const broke = ((await (await api('/api/keys', TEST_ADMIN_KEY, { name: 'k', account })).json()) as { key: string }).key;
    const before = calls();
    const refused = await chat(broke);
    expect(refused.status).toBe(402);
    expect(calls()).toBe(before);

    const zero = ((await (await api('/api/keys', TEST_ADMIN_KEY, { name: 'zero', limit: 0 })).json()) as { key: string }).key;
    const limited = await chat(zero);
    expect(limited.status).toBe(402);
    expect(calls()).toBe(before);
  });

  it('is called for a request that can be paid for', async () => {
    const before = calls();
    const res = await chat(TEST_ADMIN_KEY);
    expect(res.status).toBe(200);
    expect(calls()).toBe(before + 1);
  });
});
