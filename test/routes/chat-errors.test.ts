/** Bad input and upstream failures on the completion routes: right status, right envelope, no stack traces. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let upstream: FakeOpenAI;
const auth = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const msg = [{ role: 'user', content: 'hi' }];

beforeAll(async () => {
  upstream = await startFakeOpenAI();
  server = await startTestServer(
    mockConfig({
      server: { body_limit: '2kb' },
      providers: [
        { name: 'local-mock', type: 'mock' },
        { name: 'up', type: 'openai', base_url: upstream.url, api_key: 'sk-up', timeout_ms: 300 },
        { name: 'down', type: 'openai', base_url: 'http://127.0.0.1:1/v1', api_key: 'sk-down', timeout_ms: 300 },
      ],
      models: [
        { id: 'mock-fast', provider: 'local-mock' },
        { id: 'up-model', provider: 'up' },
        { id: 'down-model', provider: 'down' },
        { id: 'text-only', provider: 'local-mock', capabilities: ['text'] },
      ],
      routing: { categories: { text: { policy: 'fixed', models: ['mock-fast'] } } },
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await upstream?.close();
});

const openaiPost = (body: unknown) =>
  request(server.url)
    .post('/v1/chat/completions')
    .set(auth)
    .send(body as object);
const anthropicPost = (body: unknown) =>
  request(server.url)
    .post('/v1/messages')
    .set('x-api-key', TEST_ADMIN_KEY)
    .send(body as object);

describe('bad input', () => {
  it('malformed JSON → 400 in each envelope', async () => {
    const o = await request(server.url).post('/v1/chat/completions').set(auth).set('Content-Type', 'application/json').send('{"model": ');
    expect(o.status).toBe(400);
    expect(o.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/Malformed JSON/) });
    const a = await request(server.url).post('/v1/messages').set('x-api-key', TEST_ADMIN_KEY).set('Content-Type', 'application/json').send('{');
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('missing or wrong-typed fields → 400 naming them', async () => {
    expect((await openaiPost({ model: 'auto' })).body.error.message).toMatch(/^messages/);
    const t = await openaiPost({ messages: msg, temperature: 'hot' });
    expect(t.status).toBe(400);
    expect(t.body.error.message).toMatch(/^temperature/);
    const a = await anthropicPost({ messages: msg });
    expect(a.status).toBe(400);
    expect(a.body.error.message).toMatch(/max_tokens/);
  });

  it('a body over server.body_limit → 413', async () => {
    const big = { messages: [{ role: 'user', content: 'x'.repeat(5000) }] };
    const o = await openaiPost(big);
    expect(o.status).toBe(413);
    expect(o.body.error.message).toMatch(/larger than the limit/);
    const a = await anthropicPost({ ...big, max_tokens: 5 });
    expect(a.status).toBe(413);
    expect(a.body.error.type).toBe('request_too_large');
  });

  it('unknown model → 400 model_not_found listing the available ids', async () => {
    const res = await openaiPost({ model: 'gpt-7', messages: msg });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('model_not_found');
    expect(res.body.error.message).toMatch(/mock-fast.*up-model/);
    const a = await anthropicPost({ model: 'gpt-7', max_tokens: 5, messages: msg });
    expect(a.status).toBe(400);
    expect(a.body.error.message).toMatch(/mock-fast/);
  });

  it('an image to a model without vision → 415', async () => {
    const res = await openaiPost({
      model: 'text-only',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }],
    });
    expect(res.status).toBe(415);
  });

  it('auth failures use the route envelope; unknown /v1 routes are a 404 in the OpenAI envelope', async () => {
    const o = await request(server.url).post('/v1/chat/completions').send({ messages: msg });
    expect(o.status).toBe(401);
    expect(o.body.error).toMatchObject({ message: 'Invalid or missing API key', type: 'authentication_error' });
    const a = await request(server.url).post('/v1/messages').send({ messages: msg, max_tokens: 5 });
    expect(a.body).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'Invalid or missing API key' } });
    const seed = await request(server.url).get('/api/whatever').set(auth);
    expect(seed.status).toBe(404);
    expect(typeof seed.body.error).toBe('string');
    const unknown = await request(server.url).post('/v1/unknown').set(auth).send({});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.type).toBe('not_found_error');
  });
});

describe('upstream failures', () => {
  it('unreachable → 502, with a clear message and no stack trace', async () => {
    const res = await openaiPost({ model: 'down-model', messages: msg });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/unreachable/);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('timeout → 504', async () => {
    upstream.setBehaviour({ kind: 'hang' });
    const res = await openaiPost({ model: 'up-model', messages: msg });
    expect(res.status).toBe(504);
    upstream.setBehaviour({ kind: 'ok' });
  });

  it("an upstream error body is passed on in the client's envelope with the upstream status", async () => {
    upstream.setBehaviour({ kind: 'status', status: 400, body: { error: { message: 'Invalid value for stop', type: 'invalid_request_error', code: null } } });
    const o = await openaiPost({ model: 'up-model', messages: msg });
    expect(o.status).toBe(400);
    expect(o.body.error.message).toMatch(/Invalid value for stop/);
    const a = await anthropicPost({ model: 'up-model', max_tokens: 5, messages: msg });
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ type: 'error', error: { message: expect.stringMatching(/Invalid value for stop/) } });
    upstream.setBehaviour({ kind: 'status', status: 503 });
    expect((await openaiPost({ model: 'up-model', messages: msg })).status).toBe(503);
    upstream.setBehaviour({ kind: 'ok' });
  });

  it('never forwards the client key upstream', async () => {
    upstream.setBehaviour({ kind: 'ok' });
    await openaiPost({ model: 'up-model', messages: msg });
    const sent = upstream.requests.at(-1)!;
    expect(sent.headers['authorization']).toBe('Bearer sk-up');
    expect(JSON.stringify(sent)).not.toContain(TEST_ADMIN_KEY);
  });
});
