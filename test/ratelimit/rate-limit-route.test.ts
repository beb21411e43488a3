import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/keys/keyring.js';
import { postChat } from '../helpers/chat-request.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';

describe('rate limits through the real server (default_rpm: 5)', () => {
  let server: TestServer;
  const newKey = async (rateLimitRpm: number | null = null) =>
    (await server.gateway.keyStore.create({ accountId: DEFAULT_ACCOUNT, name: 'rl', scopes: ['chat', 'read'], rateLimitRpm })).key;

  beforeAll(async () => {
    server = await startTestServer(mockConfig({ rate_limits: { default_rpm: 5 } }));
  });
  afterAll(() => server.close());

  it('answers the 6th request on /v1/chat/completions with 429 in the OpenAI envelope', async () => {
    const key = await newKey();
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 5; i++) {
      const ok = await postChat(server.url, key, {});
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-limit')).toBe('5');
      expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(4 - i));
      const reset = Number(ok.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(now);
      expect(reset).toBeLessThanOrEqual(now + 62);
    }
    const limited = await postChat(server.url, key, {});
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(12);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('5');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    expect(limited.body).toMatchObject({ error: { message: `Rate limit exceeded. Retry after ${retryAfter} seconds.`, type: 'rate_limit_exceeded' } });
  });

  it('answers the 6th request on /v1/messages with 429 in the Anthropic envelope', async () => {
    const key = await newKey();
    for (let i = 0; i < 5; i++) expect((await postChat(server.url, key, {}, '/v1/messages')).status).toBe(200);
    const limited = await postChat(server.url, key, {}, '/v1/messages');
    expect(limited.status).toBe(429);
    const retryAfter = limited.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(limited.body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: `Rate limit exceeded. Retry after ${retryAfter} seconds.` } });
  });

  it('counts every authenticated route, answers /api/* in the seed format, and honours the per-key override', async () => {
    const key = await newKey(2);
    const get = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const models = await get('/v1/models');
    expect(models.status).toBe(200);
    expect(models.headers.get('x-ratelimit-limit')).toBe('2');
    expect(models.headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await get('/v1/models')).status).toBe(200);
    const limited = await get('/api/key');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: `Rate limit exceeded. Retry after ${limited.headers.get('retry-after')} seconds.` });
  });

  it('puts no rate-limit headers on unauthenticated responses', async () => {
    const res = await fetch(`${server.url}/v1/models`);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('never limits an admin key on /api/admin/* (an operator cannot lock themselves out), elsewhere it counts', async () => {
    const admin = (
      await server.gateway.keyStore.create({ accountId: DEFAULT_ACCOUNT, name: 'ops', scopes: ['chat', 'read', 'keys', 'admin'], rateLimitRpm: 2 })
    ).key;
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${server.url}/api/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
      expect(res.status, `reload #${i + 1}`).toBe(200);
      expect((await fetch(`${server.url}/api/admin/accounts`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${server.url}/api/keys`, { headers: { authorization: `Bearer ${admin}` } })).status);
    expect(statuses).toContain(429);
  });
});
