/** Hot reload (API and SIGHUP), reload during a stream, graceful shutdown with a stream in flight. */
import OpenAI from 'openai';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

const SLOW_REPLY = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');

function slowConfig(extraModels: Record<string, unknown>[] = []): Record<string, unknown> {
  return mockConfig({
    providers: [
      { name: 'local-mock', type: 'mock' },
      { name: 'slow-mock', type: 'mock', tokens_per_second: 40, reply: SLOW_REPLY },
    ],
    models: [{ id: 'mock-fast', provider: 'local-mock' }, { id: 'mock-slow', provider: 'slow-mock' }, ...extraModels],
    routing: { categories: { text: { policy: 'fixed', models: ['mock-fast'] } } },
  });
}

async function collect(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe('hot reload in process', () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it('a valid file is applied; an invalid one is a 400 listing errors and the old config keeps serving', async () => {
    server = await startTestServer(slowConfig());
    const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
    await server.rewriteConfig(slowConfig([{ id: 'mock-new', provider: 'local-mock' }]));
    const ok = await request(server.url).post('/api/admin/reload').set(admin);
    expect(ok.status).toBe(200);
    const models = await request(server.url).get('/v1/models').set(admin);
    expect(models.body.data.map((m: { id: string }) => m.id)).toContain('mock-new');

    await server.rewriteConfig({ ...slowConfig(), models: [{ id: 'broken', provider: 'nowhere' }], server: { port: 'eighty' } });
    const bad = await request(server.url).post('/api/admin/reload').set(admin);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^server\.port: /)]));
    const still = await request(server.url).get('/v1/models').set(admin);
    expect(still.body.data.map((m: { id: string }) => m.id)).toContain('mock-new');
    expect(server.logs.some((l) => l.includes('reload_rejected'))).toBe(true);
  });

  it('needs the admin scope', async () => {
    server = await startTestServer(slowConfig());
    const res = await request(server.url)
      .post('/api/admin/reload')
      .set('Authorization', 'Bearer bkb_' + 'f'.repeat(48));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid or missing API key' });
  });

  it('a stream in flight finishes on the old config even when its model is removed', async () => {
    server = await startTestServer(slowConfig());
    const client = new OpenAI({ apiKey: TEST_ADMIN_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'mock-slow', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const text = collect(stream);
    await server.rewriteConfig({ ...slowConfig(), models: [{ id: 'mock-fast', provider: 'local-mock' }] });
    await server.gateway.reload();
    expect(await text).toBe(SLOW_REPLY);
    await expect(client.chat.completions.create({ model: 'mock-slow', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 400 });
  });

  it('/readyz turns 503 as soon as draining starts, while the stream in flight completes', async () => {
    server = await startTestServer(slowConfig());
    const client = new OpenAI({ apiKey: TEST_ADMIN_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'mock-slow', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const text = collect(stream);
    expect((await request(server.gateway.app).get('/readyz')).status).toBe(200);
    const closing = server.gateway.close();
    expect((await request(server.gateway.app).get('/readyz')).status).toBe(503);
    expect(await text).toBe(SLOW_REPLY);
    await closing;
    server = { close: async () => {} } as unknown as TestServer;
  });
});

describe('signals on the real process', () => {
  let proc: SpawnedServer | undefined;
  afterEach(() => {
    proc?.child.kill('SIGKILL');
    proc = undefined;
  });

  it('SIGHUP reloads the YAML; a broken file is rejected and the old config keeps serving', async () => {
    proc = await spawnServer(slowConfig());
    const client = new OpenAI({ apiKey: TEST_ADMIN_KEY, baseURL: `${proc.url}/v1`, maxRetries: 0 });
    await proc.writeConfig(slowConfig([{ id: 'mock-hup', provider: 'local-mock' }]));
    proc.child.kill('SIGHUP');
    await expect.poll(async () => (await client.models.list()).data.map((m) => m.id), { timeout: 5000 }).toContain('mock-hup');

    await proc.writeConfig({ providers: 'not a list' });
    proc.child.kill('SIGHUP');
    await expect.poll(() => proc!.output(), { timeout: 5000 }).toContain('reload_rejected');
    expect((await client.models.list()).data.map((m) => m.id)).toContain('mock-hup');
  });

  it('SIGTERM lets the stream in flight finish, then exits 0', async () => {
    proc = await spawnServer(slowConfig());
    const client = new OpenAI({ apiKey: TEST_ADMIN_KEY, baseURL: `${proc.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'mock-slow', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const text = collect(stream);
    proc.child.kill('SIGTERM');
    expect(await text).toBe(SLOW_REPLY);
    expect(await proc.exited).toBe(0);
  });

  it('an invalid config at start exits non-zero listing every error', async () => {
    await expect(spawnServer({ providers: [{ name: 'x', type: 'nope' }], models: [{ id: 'm', provider: 'y' }], server: { port: 'abc' } })).rejects.toThrow(
      /providers\.0\.type: must be one of[\s\S]*server\.port: must be integer|server\.port: must be integer[\s\S]*providers\.0\.type/,
    );
  });
});
