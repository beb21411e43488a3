/** The vault through the real server: admin routes, provider credentials from the vault, start-up checks. */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { startGateway } from '../../src/server/start.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';
import { admin, grantCredits, MASTER_KEY, upstreamConfig } from '../security/support.js';

const json = { ...admin, 'content-type': 'application/json' };
let server: TestServer | undefined;
let fake: FakeOpenAI | undefined;

afterEach(async () => {
  await server?.close();
  await fake?.close();
  server = undefined;
  fake = undefined;
});

const put = (url: string, name: string, value: unknown, headers: Record<string, string> = json) =>
  fetch(`${url}/api/admin/vault/${name}`, { method: 'PUT', headers, body: JSON.stringify({ value }) });

describe('vault admin routes', () => {
  it('stores, lists with last4 only, replaces and deletes', async () => {
    server = await startTestServer(mockConfig(), { SWITCHBOARD_MASTER_KEY: MASTER_KEY });
    const created = await put(server.url, 'openai', 'sk-proj-verysecretvalue-9876');
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const body = (await created.json()) as Record<string, unknown>;
    expect(body).toEqual({ name: 'openai', last4: '9876', updated_at: expect.any(String) });
    expect((await put(server.url, 'openai', 'sk-proj-verysecretvalue-1111')).status).toBe(200);
    await put(server.url, 'anthropic.prod_1', 'sk-ant-another-secret-2222');

    const list = await fetch(`${server.url}/api/admin/vault`, { headers: admin });
    const text = await list.text();
    expect(JSON.parse(text)).toEqual({
      secrets: [
        { name: 'anthropic.prod_1', last4: '2222', updated_at: expect.any(String) },
        { name: 'openai', last4: '1111', updated_at: expect.any(String) },
      ],
    });
    expect(text).not.toContain('verysecret');

    expect((await fetch(`${server.url}/api/admin/vault/openai`, { method: 'DELETE', headers: admin })).status).toBe(204);
    const gone = await fetch(`${server.url}/api/admin/vault/openai`, { method: 'DELETE', headers: admin });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: 'No vault entry named "openai"' });
  });

  it('validates names and values (400), requires admin (401/403)', async () => {
    server = await startTestServer(mockConfig(), { SWITCHBOARD_MASTER_KEY: MASTER_KEY });
    for (const name of ['a%2Fb', 'a%20b', 'x'.repeat(65), '%C3%A9t%C3%A9', '..%00']) {
      const res = await put(server.url, name, 'value-12345678');
      expect(res.status, name).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/Invalid vault entry name/);
    }
    for (const value of ['', 42, null, 'x'.repeat(16385)]) expect((await put(server.url, 'ok', value)).status).toBe(400);
    const notJson = await fetch(`${server.url}/api/admin/vault/ok`, { method: 'PUT', headers: json, body: '{' });
    expect(notJson.status).toBe(400);

    const { key } = await server.gateway.keyStore.create({ accountId: 'default', name: 'user', scopes: ['chat', 'read', 'keys'] });
    const user = { Authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const forbidden = await put(server.url, 'ok', 'value-12345678', user);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: string }).error).toMatch(/admin/);
    expect((await fetch(`${server.url}/api/admin/vault`, { headers: user })).status).toBe(403);
    expect((await fetch(`${server.url}/api/admin/vault`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/admin/vault/ok`, { method: 'DELETE' })).status).toBe(401);
  });

  it('without SWITCHBOARD_MASTER_KEY the server starts and the vault answers 503 naming the variable', async () => {
    server = await startTestServer(mockConfig(), {});
    for (const res of [await fetch(`${server.url}/api/admin/vault`, { headers: admin }), await put(server.url, 'openai', 'sk-12345678')]) {
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: string }).error).toMatch(/SWITCHBOARD_MASTER_KEY/);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('vault credentials reach providers', () => {
  it('a PUT is used by the next provider request, without a restart', async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer(upstreamConfig(fake.url, 'vault:openai'), { SWITCHBOARD_MASTER_KEY: MASTER_KEY });
    await grantCredits(server.url);
    const chat = () =>
      fetch(`${server!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }] }),
      });

    await put(server.url, 'openai', 'sk-first-credential-0001');
    expect((await chat()).status).toBe(200);
    expect(fake.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-first-credential-0001');

    await put(server.url, 'openai', 'sk-second-credential-0002');
    expect((await chat()).status).toBe(200);
    expect(fake.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-second-credential-0002');
  });
});

describe('vault start-up checks', () => {
  const start = (s: TestServer, env: NodeJS.ProcessEnv) =>
    startGateway({ configPath: s.configPath, env, cwd: s.dir, port: 0, host: '127.0.0.1', logger: createLogger('silent'), announce: () => {} });

  it('refuses to start when entries exist and the master key is missing or wrong; starts with the right key', async () => {
    const first = await startTestServer(mockConfig(), { SWITCHBOARD_MASTER_KEY: MASTER_KEY });
    try {
      await put(first.url, 'openai', 'sk-persisted-value-4242');
      await first.gateway.close();
      await expect(start(first, {})).rejects.toThrow(/vault holds 1 encrypted entry but SWITCHBOARD_MASTER_KEY is not set/);
      await expect(start(first, { SWITCHBOARD_MASTER_KEY: '77'.repeat(32) })).rejects.toThrow(
        /SWITCHBOARD_MASTER_KEY is not the key the vault was encrypted with/,
      );
      await expect(start(first, { SWITCHBOARD_MASTER_KEY: 'not-hex' })).rejects.toThrow(/64 hex characters/);
      const again = await start(first, { SWITCHBOARD_MASTER_KEY: MASTER_KEY });
      const list = await fetch(`${again.url}/api/admin/vault`, { headers: admin });
      expect(((await list.json()) as { secrets: { last4: string }[] }).secrets).toEqual([{ name: 'openai', last4: '4242', updated_at: expect.any(String) }]);
      await again.close();
    } finally {
      await rm(first.dir, { recursive: true, force: true });
    }
  });

  it('a malformed master key is a start-up error even with an empty vault', async () => {
    await expect(startTestServer(mockConfig(), { SWITCHBOARD_MASTER_KEY: 'abc' })).rejects.toThrow(
      /SWITCHBOARD_MASTER_KEY must be 32 bytes written as 64 hex characters/,
    );
  });
});
