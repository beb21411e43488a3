/**
 * A limited key with the `keys` scope could escape its credit limit: mint a child (same limit),
 * spend, revoke it, mint another. Spend of keys minted by a key now counts toward the minting
 * key's limit, and their requests toward its rate limit — across revocations and restarts.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { startGateway } from '../../src/server/start.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

let server: TestServer;

async function api(method: string, path: string, key: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function newAccount(name: string): Promise<string> {
  const id = ((await (await api('POST', '/api/admin/accounts', TEST_ADMIN_KEY, { name })).json()) as { id: string }).id;
  await api('POST', `/api/admin/accounts/${id}/credits`, TEST_ADMIN_KEY, { amount: 10 });
  return id;
}

async function mint(as: string, body: Record<string, unknown>): Promise<{ key: string; id: string }> {
  const res = await api('POST', '/api/keys', as, body);
  expect(res.status).toBe(201);
  return (await res.json()) as { key: string; id: string };
}

const chat = (key: string) =>
  api('POST', '/v1/chat/completions', key, { model: 'mock-smart', max_tokens: 50, messages: [{ role: 'user', content: 'tell me a long story' }] });

beforeAll(async () => {
  server = await startTestServer(mockConfig({ rate_limits: { default_rpm: 100000 } }));
});
afterAll(async () => server?.close());

describe('keys minted by a limited key', () => {
  it('the mint–spend–revoke–mint loop cannot spend past the minting key’s limit', async () => {
    const account = await newAccount('looped');
    const LIMIT = 0.002;
    const parent = await mint(TEST_ADMIN_KEY, { name: 'limited', account, limit: LIMIT, scopes: ['chat', 'read', 'keys'] });
    let refused = false;
    for (let round = 0; round < 12 && !refused; round++) {
      const child = await mint(parent.key, { name: `child-${round}`, scopes: ['chat', 'read'] });
      for (let i = 0; i < 2; i++) {
        const res = await chat(child.key);
        if (res.status === 402) {
          const body = (await res.json()) as { error: { message: string; code: string } };
          expect(body.error.code).toBe('key_limit_reached');
          expect(body.error.message).toContain('the API key that created this key');
          refused = true;
          break;
        }
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      expect((await api('DELETE', `/api/keys/${child.id}`, parent.key)).status).toBe(200);
    }
    expect(refused).toBe(true);
    // What the children spent is the parent's usage, and never more than its limit.
    const view = (await (await api('GET', `/api/keys/${parent.id}`, TEST_ADMIN_KEY)).json()) as { usage: number; limit: number };
    expect(view.usage).toBeGreaterThan(0);
    expect(view.usage).toBeLessThanOrEqual(LIMIT);
    // The parent itself is as limited as its children.
    const own = await chat(parent.key);
    expect(own.status).toBe(402);
  });

  it('after a restart the children’s past spend still counts', async () => {
    const own = await startTestServer(mockConfig({ rate_limits: { default_rpm: 100000 } }));
    const previous = server;
    server = own;
    try {
      const account = await newAccount('restarted');
      const parent = await mint(TEST_ADMIN_KEY, { name: 'limited', account, limit: 0.0015, scopes: ['chat', 'read', 'keys'] });
      const child = await mint(parent.key, { name: 'child' });
      for (let i = 0; i < 2; i++) expect((await chat(child.key)).status).toBe(200);
      const before = ((await (await api('GET', `/api/keys/${parent.id}`, TEST_ADMIN_KEY)).json()) as { usage: number }).usage;
      expect(before).toBeGreaterThan(0);
      await own.gateway.close();
      const again = await startGateway({ configPath: own.configPath, cwd: own.dir, env: {}, port: 0, host: '127.0.0.1', logger: createLogger('silent') });
      try {
        const res = await fetch(`${again.url}/api/keys/${parent.id}`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
        expect(((await res.json()) as { usage: number }).usage).toBe(before);
      } finally {
        await again.close();
      }
    } finally {
      server = previous;
      await rm(own.dir, { recursive: true, force: true });
    }
  });

  it('requests of minted keys count toward the minting key’s rate limit', async () => {
    const account = await newAccount('paced');
    // Its two mints below are two of its five requests.
    const parent = await mint(TEST_ADMIN_KEY, { name: 'paced', account, rate_limit_rpm: 5, scopes: ['chat', 'read', 'keys'] });
    const a = await mint(parent.key, { name: 'a' });
    const b = await mint(parent.key, { name: 'b' });
    const statuses: number[] = [];
    for (const key of [a.key, b.key, a.key, b.key]) statuses.push((await api('GET', '/api/key', key)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
