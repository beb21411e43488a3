/**
 * Peer gateways have logged full API keys, provider credentials and prompts. Every log line of a
 * busy session here is free of keys, vault values, the upstream credential and prompt text.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { admin, grantCredits, MASTER_KEY, upstreamConfig } from './support.js';

const tag = randomBytes(6).toString('hex');
const PROMPT = `Summarise the confidential merger memo ${tag} for the board`;
const SYSTEM = `You are the secret system prompt ${tag}`;
const VAULT_VALUE = `sk-vaulted-upstream-${tag}-0000`;
const OTHER_VAULT_VALUE = `sk-other-vaulted-${tag}-1111`;

let upstream: FakeOpenAI;
let server: TestServer;
let userKey = '';

beforeAll(async () => {
  upstream = await startFakeOpenAI();
  server = await startTestServer(upstreamConfig(upstream.url, 'vault:openai'), { SWITCHBOARD_MASTER_KEY: MASTER_KEY });
  await grantCredits(server.url);
});

afterAll(async () => {
  await server?.close();
  await upstream?.close();
});

const json = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
const post = (path: string, headers: Record<string, string>, body: unknown) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    text: await r.text(),
  }));

describe('log hygiene', () => {
  it('a busy session logs no key, vault value, upstream credential or prompt', async () => {
    const adminJson = { ...admin, 'content-type': 'application/json' };
    expect(
      (await fetch(`${server.url}/api/admin/vault/openai`, { method: 'PUT', headers: adminJson, body: JSON.stringify({ value: VAULT_VALUE }) })).status,
    ).toBe(201);
    await fetch(`${server.url}/api/admin/vault/bad%20name`, { method: 'PUT', headers: adminJson, body: JSON.stringify({ value: OTHER_VAULT_VALUE }) });
    await fetch(`${server.url}/api/admin/vault/other`, { method: 'PUT', headers: adminJson, body: JSON.stringify({ value: OTHER_VAULT_VALUE }) });
    await fetch(`${server.url}/api/admin/vault/other`, { method: 'PUT', headers: adminJson, body: `{"value": "${OTHER_VAULT_VALUE}"` });

    const created = await post('/api/keys', adminJson, { name: 'log-test' });
    expect(created.status).toBe(201);
    userKey = (JSON.parse(created.text) as { key: string }).key;

    const messages = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: PROMPT },
    ];
    for (const key of [TEST_ADMIN_KEY, userKey]) {
      expect((await post('/v1/chat/completions', json(key), { model: 'gpt-fake', messages })).status).toBe(200);
      expect((await post('/v1/chat/completions', json(key), { model: 'gpt-fake', stream: true, messages })).status).toBe(200);
      expect((await post('/v1/chat/completions', json(key), { model: 'mock-fast', messages })).status).toBe(200);
    }
    expect(
      (
        await post(
          '/v1/messages',
          { 'x-api-key': userKey, 'content-type': 'application/json' },
          { model: 'gpt-fake', max_tokens: 64, system: SYSTEM, messages: [{ role: 'user', content: PROMPT }] },
        )
      ).status,
    ).toBe(200);
    await post('/api/chat', json(userKey), { messages: [{ role: 'user', content: PROMPT }] });
    await post('/api/route', json(userKey), { prompt: PROMPT });

    // Failures: upstream errors, malformed bodies, unknown models, bad keys.
    upstream.setBehaviour({ kind: 'status', status: 500 });
    await post('/v1/chat/completions', json(userKey), { model: 'gpt-fake', messages });
    upstream.setBehaviour({ kind: 'reset' });
    await post('/v1/chat/completions', json(userKey), { model: 'gpt-fake', stream: true, messages });
    // Upstreams that echo the credential they were sent (as some OpenAI-compatible servers do).
    for (const status of [401, 400, 500]) {
      upstream.setBehaviour({
        kind: 'status',
        status,
        body: {
          error: { message: `Incorrect API key provided: ${VAULT_VALUE}; prompt was ${PROMPT}`, type: 'invalid_request_error', code: 'invalid_api_key' },
        },
      });
      const res = await post('/v1/chat/completions', json(userKey), { model: 'gpt-fake', messages });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.text).not.toContain(VAULT_VALUE);
    }
    upstream.setBehaviour({ kind: 'ok' });
    await post('/v1/chat/completions', json(userKey), `{"model":"gpt-fake","messages":[{"role":"user","content":"${PROMPT}"}`);
    await post('/v1/chat/completions', json(userKey), { model: 'no-such-model', messages });
    await post('/v1/chat/completions', json(userKey), { model: 'gpt-fake', messages: PROMPT });
    expect((await post('/v1/chat/completions', json(userKey.slice(0, -1) + (userKey.endsWith('0') ? '1' : '0')), { model: 'gpt-fake', messages })).status).toBe(
      401,
    );
    expect((await post('/v1/chat/completions', json(`${userKey}${tag}`), { model: 'gpt-fake', messages })).status).toBe(401);
    await fetch(`${server.url}/api/keys?name=${encodeURIComponent(userKey)}`, { headers: { 'x-api-key': userKey } });

    await server.gateway.close().catch(() => undefined);
    const logs = server.logs.join('\n');
    expect(server.logs.length).toBeGreaterThan(5);
    const forbidden: Record<string, string> = {
      'admin key': TEST_ADMIN_KEY,
      'admin key body': TEST_ADMIN_KEY.slice(4),
      'user key': userKey,
      'user key body': userKey.slice(4),
      'vault value': VAULT_VALUE,
      'other vault value': OTHER_VAULT_VALUE,
      'master key': MASTER_KEY,
      prompt: tag,
    };
    for (const [label, needle] of Object.entries(forbidden)) expect(logs.includes(needle), `${label} appears in the logs`).toBe(false);
  });
});
