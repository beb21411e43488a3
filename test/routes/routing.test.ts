/** /api/route, /api/models, /api/routing/stats, /api/feedback, and routing state surviving a restart. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelStatus } from '../../src/server/routes/routing-api.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const CODE_PROMPT = 'Write a python function that sorts a list of integers';

function banditConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return mockConfig({
    routing: {
      categories: {
        code: { policy: 'bandit', models: ['mock-smart', 'mock-fast'] },
        text: { policy: 'fixed', models: ['mock-fast', 'mock-smart'] },
      },
    },
    ...extra,
  });
}

async function chat(url: string, prompt: string, key = TEST_ADMIN_KEY): Promise<{ requestId: string; model: string }> {
  const res = await request(url)
    .post('/v1/chat/completions')
    .set('Authorization', `Bearer ${key}`)
    .send({ messages: [{ role: 'user', content: prompt }] });
  expect(res.status).toBe(200);
  return { requestId: res.headers['x-request-id'] as string, model: res.body.model as string };
}

interface ArmView {
  model: string;
  pulls: number;
  successes: number;
  failures: number;
  alpha: number;
  beta: number;
  meanReward: number;
  avgLatencyMs: number;
  avgCostUsd: number;
}

async function stats(url: string): Promise<Record<string, ArmView[]>> {
  const res = await request(url).get('/api/routing/stats').set(admin);
  expect(res.status).toBe(200);
  return res.body.categories as Record<string, ArmView[]>;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 6000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('routing API', () => {
  let server: TestServer;
  let otherKey: string;
  let readKey: string;

  beforeAll(async () => {
    server = await startTestServer(banditConfig());
    const account = await request(server.url).post('/api/admin/accounts').set(admin).send({ name: 'team-b' });
    otherKey = (await request(server.url).post('/api/keys').set(admin).send({ name: 'b', account: account.body.id })).body.key as string;
    readKey = (
      await request(server.url)
        .post('/api/keys')
        .set(admin)
        .send({ name: 'r', scopes: ['read'] })
    ).body.key as string;
  });
  afterAll(async () => server?.close());

  it('POST /api/route classifies and ranks without calling a model', async () => {
    const res = await request(server.url).post('/api/route').set(admin).send({ prompt: CODE_PROMPT });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      category: 'code',
      subcategory: expect.any(String),
      model: expect.stringMatching(/^mock-(smart|fast)$/),
      policy: 'bandit',
      candidates: expect.arrayContaining(['mock-smart', 'mock-fast']),
      confidence: expect.any(Number),
    });
    expect(res.body.candidates[0]).toBe(res.body.model);
    expect(res.body.confidence).toBeGreaterThanOrEqual(0);
    expect(res.body.confidence).toBeLessThanOrEqual(1);
    expect((await stats(server.url))['code']).toBeUndefined();

    for (const body of [{}, { prompt: '' }, { prompt: 42 }]) {
      const bad = await request(server.url).post('/api/route').set(admin).send(body);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: expect.stringContaining('prompt') });
    }
    expect((await request(server.url).post('/api/route').set('Authorization', `Bearer ${readKey}`).send({ prompt: 'hi' })).status).toBe(403);
  });

  it('GET /api/models lists caller prices (overhead included) and health', async () => {
    const res = await request(server.url).get('/api/models').set('Authorization', `Bearer ${readKey}`);
    expect(res.status).toBe(200);
    const smart = (res.body.models as Record<string, unknown>[]).find((m) => m['id'] === 'mock-smart');
    expect(smart).toMatchObject({
      id: 'mock-smart',
      name: 'mock-smart',
      provider: 'local-mock',
      categories: ['text', 'code'],
      inputPer1M: 2.5625,
      outputPer1M: 10.25,
      contextWindow: 128000,
      status: 'available',
    });
    expect(['closed', 'half-open', 'open'].map((s) => modelStatus(s as 'closed'))).toEqual(['available', 'degraded', 'unavailable']);
  });

  it('GET /api/routing/stats reports what the bandit learned', async () => {
    for (let i = 0; i < 4; i++) await chat(server.url, CODE_PROMPT);
    const arms = (await stats(server.url))['code']!;
    expect(arms.reduce((n, a) => n + a.pulls, 0)).toBe(4);
    for (const arm of arms) {
      expect(arm).toEqual({
        model: expect.stringMatching(/^mock-/),
        policy: 'bandit',
        pulls: expect.any(Number),
        successes: arm.pulls,
        failures: 0,
        alpha: expect.any(Number),
        beta: expect.any(Number),
        meanReward: expect.any(Number),
        avgLatencyMs: expect.any(Number),
        avgCostUsd: expect.any(Number),
      });
    }
  });

  it('POST /api/feedback feeds the bandit once per request', async () => {
    const { requestId, model } = await chat(server.url, CODE_PROMPT);
    const before = (await stats(server.url))['code']!.find((a) => a.model === model)!;
    // Right away: the request's log row is still in the pending batch.
    const ok = await request(server.url).post('/api/feedback').set(admin).send({ requestId, score: 0.75 });
    expect(ok.status).toBe(204);
    expect(ok.text).toBe('');
    const after = (await stats(server.url))['code']!.find((a) => a.model === model)!;
    expect(after.alpha).toBeCloseTo(before.alpha + 0.75, 6);
    expect(after.beta).toBeCloseTo(before.beta + 0.25, 6);

    const again = await request(server.url).post('/api/feedback').set(admin).send({ requestId, score: 1 });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: expect.stringContaining('already') });
  });

  it('POST /api/feedback after the log row was written, and its error cases', async () => {
    const { requestId } = await chat(server.url, CODE_PROMPT);
    const db = server.gateway.database.db;
    await waitFor(async () => db.selectFrom('request_logs').select('request_id').where('request_id', '=', requestId).executeTakeFirst());
    const send = (body: unknown, key = TEST_ADMIN_KEY) =>
      request(server.url)
        .post('/api/feedback')
        .set('Authorization', `Bearer ${key}`)
        .send(body as object);

    expect((await send({ requestId, score: 0.5 }, otherKey)).status).toBe(404);
    expect((await send({ requestId: 'req_unknown', score: 0.5 })).status).toBe(404);
    for (const score of [1.5, -0.1, '0.5', null]) expect((await send({ requestId, score })).status).toBe(400);
    expect((await send({ score: 0.5 })).status).toBe(400);
    expect((await send({ requestId, score: 0.5 }, readKey)).status).toBe(403);

    expect((await send({ requestId, score: 0 })).status).toBe(204);
    expect((await send({ requestId, score: 0 })).status).toBe(409);
    const row = await db.selectFrom('request_logs').selectAll().where('request_id', '=', requestId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ category: 'code', policy: 'bandit', status: 'ok', feedback_score: 0, account_id: 'default' });
  });
});

describe('routing state persistence', () => {
  it('what the bandit learned survives a restart on the same database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-state-'));
    const config = banditConfig({ database: { url: `sqlite:${join(dir, 'state.db')}` } });
    try {
      const first = await startTestServer(config);
      for (let i = 0; i < 5; i++) await chat(first.url, CODE_PROMPT);
      const { requestId } = await chat(first.url, CODE_PROMPT);
      expect((await request(first.url).post('/api/feedback').set(admin).send({ requestId, score: 0.2 })).status).toBe(204);
      const learned = await stats(first.url);
      expect(learned['code']!.reduce((n, a) => n + a.pulls, 0)).toBe(6);
      // Reaches the database within 5 s, without a shutdown.
      const db = first.gateway.database.db;
      await waitFor(async () => db.selectFrom('routing_state').select('state').where('policy', '=', 'bandit').executeTakeFirst());
      await first.close();

      const second = await startTestServer(config);
      try {
        expect(await stats(second.url)).toEqual(learned);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
