/**
 * Peer gateways have let a request choose where it is sent or with which credential (body
 * `api_base` / `base_url` / `api_key`, `X-Base-Url`, forwarded Host headers): a server-side
 * request forgery that also hands the operator's provider key to whoever asks. Here no request
 * field or header changes a provider's base URL, credential or headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../helpers/fake-openai.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { grantCredits, rawRequest, UPSTREAM_KEY, upstreamConfig } from './support.js';

let upstream: FakeOpenAI;
let decoy: FakeOpenAI;
let server: TestServer;
let attackerUrl: string;
let attackerHost: string;

beforeAll(async () => {
  upstream = await startFakeOpenAI();
  decoy = await startFakeOpenAI();
  attackerUrl = decoy.url;
  attackerHost = new URL(decoy.url).host;
  const config = upstreamConfig(upstream.url);
  const models = config['models'] as Record<string, unknown>[];
  models.push({
    id: 'embed-fake',
    provider: 'upstream',
    upstream_model: 'fake-embedding',
    capabilities: ['embeddings'],
    pricing: { input_per_1m: 0.1, output_per_1m: 0 },
  });
  server = await startTestServer(config);
  await grantCredits(server.url);
});

afterAll(async () => {
  await server?.close();
  await upstream?.close();
  await decoy?.close();
});

const ATTACK_VALUE = 'attacker-controlled-value';

function attackHeaders(): Record<string, string> {
  return {
    'X-Base-Url': attackerUrl,
    'X-Api-Base': attackerUrl,
    'X-Forwarded-Host': attackerHost,
    'X-Forwarded-Proto': 'http',
    'X-Forwarded-For': '10.0.0.1',
    'X-Original-Url': `${attackerUrl}/chat/completions`,
    'X-Rewrite-Url': '/v1/embeddings',
    'X-Provider-Api-Key': 'sk-attacker-key',
    'X-OpenAI-Api-Key': 'sk-attacker-key',
    'OpenAI-Organization': ATTACK_VALUE,
    'Anthropic-Version': ATTACK_VALUE,
    'X-Custom-Header': ATTACK_VALUE,
    Host: attackerHost,
  };
}

const ATTACK_FIELDS = {
  headers: { Authorization: 'Bearer sk-attacker-key', 'X-Custom-Header': ATTACK_VALUE },
  extra_headers: { Authorization: 'Bearer sk-attacker-key' },
  extra_body: { api_base: 'http://127.0.0.1:1' },
  provider: { base_url: 'http://127.0.0.1:1', api_key: 'sk-attacker-key' },
};

function attackBody(extra: Record<string, unknown>): string {
  // Built per call so attackerUrl is set.
  return JSON.stringify({
    ...extra,
    base_url: attackerUrl,
    api_base: attackerUrl,
    baseURL: attackerUrl,
    api_key: 'sk-attacker-key',
    apiKey: 'sk-attacker-key',
    headers: ATTACK_FIELDS.headers,
    extra_headers: ATTACK_FIELDS.extra_headers,
    extra_body: ATTACK_FIELDS.extra_body,
    provider: ATTACK_FIELDS.provider,
  });
}

function expectClean(recorded: RecordedRequest, opts: { checkBody: boolean }): void {
  expect(recorded.headers['authorization']).toBe(`Bearer ${UPSTREAM_KEY}`);
  expect(recorded.headers['host']).toBe(new URL(upstream.url).host);
  const headerText = JSON.stringify(recorded.headers);
  for (const leaked of ['sk-attacker-key', ATTACK_VALUE, attackerHost, TEST_ADMIN_KEY, '10.0.0.1']) expect(headerText).not.toContain(leaked);
  expect(recorded.headers['x-api-key']).toBeUndefined();
  if (opts.checkBody) {
    const bodyText = JSON.stringify(recorded.body);
    for (const leaked of ['sk-attacker-key', attackerHost, '127.0.0.1:1', TEST_ADMIN_KEY]) expect(bodyText).not.toContain(leaked);
  }
}

const CASES: { name: string; path: string; body: Record<string, unknown>; checkBody: boolean }[] = [
  { name: 'OpenAI chat', path: '/v1/chat/completions', body: { model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }] }, checkBody: true },
  {
    name: 'OpenAI chat, streamed',
    path: '/v1/chat/completions',
    body: { model: 'gpt-fake', stream: true, messages: [{ role: 'user', content: 'hi' }] },
    checkBody: true,
  },
  { name: 'OpenRouter path', path: '/api/v1/chat/completions', body: { model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }] }, checkBody: true },
  {
    name: 'Anthropic messages',
    path: '/v1/messages',
    body: { model: 'gpt-fake', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] },
    checkBody: true,
  },
  { name: 'native SSE chat', path: '/api/chat', body: { model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }] }, checkBody: true },
  // The passthrough forwards the body as sent: checked for headers and address here, body below.
  { name: 'embeddings passthrough', path: '/v1/embeddings', body: { model: 'embed-fake', input: 'hi' }, checkBody: false },
];

describe('no request field or header redirects a provider or swaps its credential', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const before = upstream.requests.length;
      const res = await rawRequest(
        server.url,
        'POST',
        c.path,
        { ...attackHeaders(), Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
        attackBody(c.body),
      );
      expect(res.status, res.body).toBe(200);
      expect(upstream.requests.length).toBe(before + 1);
      expectClean(upstream.requests.at(-1)!, { checkBody: c.checkBody });
      expect(decoy.requests).toHaveLength(0);
    });
  }

  it('the client key sent as X-Api-Key is not forwarded either', async () => {
    const res = await rawRequest(
      server.url,
      'POST',
      '/v1/messages',
      { 'X-Api-Key': TEST_ADMIN_KEY, 'Content-Type': 'application/json', 'Anthropic-Version': '2023-06-01' },
      JSON.stringify({ model: 'gpt-fake', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(res.status).toBe(200);
    expectClean(upstream.requests.at(-1)!, { checkBody: true });
  });

  it('an absolute-form request target naming another host is served (or refused) locally, never proxied', async () => {
    const before = upstream.requests.length;
    const res = await rawRequest(
      server.url,
      'POST',
      `${attackerUrl}/chat/completions`,
      { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      JSON.stringify({ model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect([200, 404]).toContain(res.status);
    if (res.status === 200) expectClean(upstream.requests.at(before)!, { checkBody: true });
    expect(decoy.requests).toHaveLength(0);
  });

  // An OpenAI-compatible upstream that honours `api_base` / `api_key` in the body (LiteLLM-style
  // proxies) could otherwise be redirected by a client: only documented fields are forwarded.
  it('the embeddings passthrough does not forward api_base / base_url / api_key body fields', async () => {
    const res = await rawRequest(
      server.url,
      'POST',
      '/v1/embeddings',
      { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      attackBody({ model: 'embed-fake', input: 'hi' }),
    );
    expect(res.status).toBe(200);
    expectClean(upstream.requests.at(-1)!, { checkBody: true });
  });
});
