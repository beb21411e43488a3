/** Native SSE `POST /api/chat`: event order, fallback notice, conversations, files, errors. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConversationStore } from '../../src/conversations/conversation-store.js';
import { GatewayError } from '../../src/errors.js';
import { FALLBACK_NOTICE } from '../../src/formats/native/events.js';
import { MAX_FILE_BYTES } from '../../src/formats/native/files.js';
import { CircuitBreakers } from '../../src/gateway/circuit-breaker.js';
import { NO_TELEMETRY } from '../../src/gateway/telemetry.js';
import { nativeChatRoutes } from '../../src/server/routes/native-chat.js';
import { FAKE_DEFAULT_TEXT, startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { nativeChat, parseNativeSse, tokensText } from '../helpers/native-sse.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
// A 1×1 transparent PNG.
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let server: TestServer;
let fake: FakeOpenAI;

async function keyForNewAccount(name: string): Promise<string> {
  const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
  const account = await request(server.url).post('/api/admin/accounts').set(admin).send({ name });
  expect(account.status).toBe(201);
  const key = await request(server.url)
    .post('/api/keys')
    .set(admin)
    .send({ name: `${name}-key`, account: account.body.id });
  expect(key.status).toBe(201);
  return key.body.key as string;
}

function lastUpstreamMessages(): { role: string; content: unknown }[] {
  const body = fake.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
  return body.messages;
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  server = await startTestServer(
    mockConfig({
      providers: [
        { name: 'local-mock', type: 'mock' },
        { name: 'broken-mock', type: 'mock', failure_rate: 1, fail_status: 503 },
        { name: 'oai', type: 'openai', base_url: fake.url, api_key: 'sk-upstream', timeout_ms: 5000 },
      ],
      models: [
        { id: 'mock-fast', provider: 'local-mock', categories: ['text', 'code', 'document'], pricing: { input_per_1m: 2.5, output_per_1m: 10 } },
        { id: 'mock-broken', provider: 'broken-mock', categories: ['code'], fallbacks: ['mock-fast'] },
        { id: 'gpt-fake', provider: 'oai', categories: ['text'], pricing: { input_per_1m: 1, output_per_1m: 2 } },
        { id: 'gpt-blind', provider: 'oai', categories: ['image'], capabilities: ['text', 'tools', 'streaming'] },
      ],
      routing: {
        categories: {
          text: { policy: 'fixed', models: ['mock-fast'] },
          code: { policy: 'fixed', models: ['mock-broken', 'mock-fast'] },
        },
      },
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('POST /api/chat events', () => {
  it('streams meta → strategy_decision → token… → done', async () => {
    const res = await nativeChat(server.url, TEST_ADMIN_KEY, { messages: [{ role: 'user', content: 'Say hello to the world' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const types = res.events.map((e) => e.type);
    expect(types[0]).toBe('meta');
    expect(types[1]).toBe('strategy_decision');
    expect(types.at(-1)).toBe('done');
    expect(types.slice(2, -1).every((t) => t === 'token')).toBe(true);
    expect(types.filter((t) => t === 'token').length).toBeGreaterThan(0);

    const meta = res.events[0]!;
    expect(meta).toMatchObject({ model: 'mock-fast', category: 'text', requestId: res.headers.get('x-request-id') });
    expect(meta['subcategory']).toEqual(expect.any(String));
    expect(meta['conversationId']).toMatch(/^conv_/);
    expect(res.events[1]).toMatchObject({ strategy: 'direct', reason: expect.stringContaining('mock-fast') });

    const done = res.events.at(-1)!;
    expect(done).toMatchObject({ model: 'mock-fast', latencyMs: expect.any(Number), inputTokens: expect.any(Number), outputTokens: expect.any(Number) });
    const breakdown = done['costBreakdown'] as { inputUsd: number; outputUsd: number; overheadUsd: number };
    expect(done['costUsd']).toBeGreaterThan(0);
    expect(breakdown.inputUsd + breakdown.outputUsd + breakdown.overheadUsd).toBeCloseTo(done['costUsd'] as number, 6);
    expect(breakdown.overheadUsd).toBeGreaterThan(0);
  });

  it('names the model requested explicitly and explains it', async () => {
    const res = await nativeChat(server.url, TEST_ADMIN_KEY, { model: 'cheap', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.events[0]).toMatchObject({ type: 'meta', model: 'mock-fast' });
    expect(res.events[1]!['reason']).toMatch(/requested explicitly/);
  });

  it('tells the client about a fallback and meta names the model that answers', async () => {
    const res = await nativeChat(server.url, TEST_ADMIN_KEY, { messages: [{ role: 'user', content: 'Fix this python function: def f(): return 1/0' }] });
    expect(res.status).toBe(200);
    const types = res.events.map((e) => e.type);
    expect(types[0]).toBe('meta');
    expect(res.events[0]).toMatchObject({ model: 'mock-fast', category: 'code' });
    const notice = res.events.find((e) => e.type === 'error');
    expect(notice).toMatchObject({ error: FALLBACK_NOTICE, code: 'upstream_unavailable', retrying: true, from: 'mock-broken', to: 'mock-fast' });
    expect(types.indexOf('error')).toBeLessThan(types.indexOf('token'));
    expect(types.at(-1)).toBe('done');
    expect(res.events.at(-1)).toMatchObject({ model: 'mock-fast' });
    // The policy chose mock-broken; mock-fast answered after the fallback.
    const decision = res.events.find((e) => e.type === 'strategy_decision');
    expect(decision?.['reason']).toMatch(/fixed policy chose mock-broken; mock-fast answered after 1 fallback/);
  });

  it('names the requested model in strategy_decision after a fallback of an explicit request', async () => {
    const res = await nativeChat(server.url, TEST_ADMIN_KEY, { model: 'mock-broken', messages: [{ role: 'user', content: 'hello' }] });
    expect(res.status).toBe(200);
    const decision = res.events.find((e) => e.type === 'strategy_decision');
    expect(decision?.['reason']).toBe('Model mock-broken was requested explicitly; mock-fast answered after 1 fallback');
    expect(res.events[0]).toMatchObject({ model: 'mock-fast' });
  });
});

describe('POST /api/chat conversations', () => {
  it('prepends the stored history on the next turn', async () => {
    const first = await nativeChat(server.url, TEST_ADMIN_KEY, { model: 'gpt-fake', messages: [{ role: 'user', content: 'My name is Ada.' }] });
    expect(first.status).toBe(200);
    expect(tokensText(first.events)).toBe(FAKE_DEFAULT_TEXT);
    const conversationId = first.events[0]!['conversationId'] as string;

    const second = await nativeChat(server.url, TEST_ADMIN_KEY, {
      model: 'gpt-fake',
      conversationId,
      messages: [{ role: 'user', content: 'What is my name?' }],
    });
    expect(second.status).toBe(200);
    expect(second.events[0]).toMatchObject({ type: 'meta', conversationId });
    expect(lastUpstreamMessages()).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: FAKE_DEFAULT_TEXT },
      { role: 'user', content: 'What is my name?' },
    ]);

    // A third turn sees both earlier exchanges.
    await nativeChat(server.url, TEST_ADMIN_KEY, { model: 'gpt-fake', conversationId, messages: [{ role: 'user', content: 'And again?' }] });
    expect(lastUpstreamMessages().map((m) => m.content)).toEqual(['My name is Ada.', FAKE_DEFAULT_TEXT, 'What is my name?', FAKE_DEFAULT_TEXT, 'And again?']);
  });

  it("another account's conversation, or an unknown id, is a 404", async () => {
    const first = await nativeChat(server.url, TEST_ADMIN_KEY, { messages: [{ role: 'user', content: 'secret plans' }] });
    const conversationId = first.events[0]!['conversationId'] as string;
    const otherKey = await keyForNewAccount('other-team');
    const stolen = await nativeChat(server.url, otherKey, { conversationId, messages: [{ role: 'user', content: 'what were the plans?' }] });
    expect(stolen.status).toBe(404);
    expect(stolen.json).toEqual({ error: expect.stringMatching(/not found/i) });
    const unknown = await nativeChat(server.url, TEST_ADMIN_KEY, { conversationId: 'conv_nope', messages: [{ role: 'user', content: 'hi' }] });
    expect(unknown.status).toBe(404);
  });

  it('keeps no conversation for a request refused before streaming', async () => {
    const res = await nativeChat(server.url, TEST_ADMIN_KEY, { model: 'no-such-model', messages: [{ role: 'user', content: 'refused turn' }] });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: expect.stringContaining('no-such-model') });
    const rows = await server.gateway.database.db.selectFrom('conversations').select('title').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.title !== 'refused turn')).toBe(true);
  });
});

describe('POST /api/chat files', () => {
  it('sends an image as vision content', async () => {
    const res = await nativeChat(server.url, TEST_ADMIN_KEY, {
      model: 'gpt-fake',
      messages: [{ role: 'user', content: 'What is in this picture?', files: [{ name: 'dot.png', type: 'image/png', data_b64: PNG_1PX }] }],
    });
    expect(res.status).toBe(200);
    const content = lastUpstreamMessages().at(-1)!.content as { type: string; image_url?: { url: string }; text?: string }[];
    expect(content).toEqual([
      { type: 'image_url', image_url: expect.objectContaining({ url: `data:image/png;base64,${PNG_1PX}` }) },
      { type: 'text', text: 'What is in this picture?' },
    ]);
  });

  it('an image for a model without vision is a 415', async () => {
    const res = await nativeChat(server.url, TEST_ADMIN_KEY, {
      model: 'gpt-blind',
      messages: [{ role: 'user', content: 'describe', files: [{ name: 'dot.png', type: 'image/png', data_b64: PNG_1PX }] }],
    });
    expect(res.status).toBe(415);
    expect(res.json).toEqual({ error: expect.stringMatching(/gpt-blind.*images/) });
  });

  it('inlines text-like files (by MIME type or extension)', async () => {
    const res = await nativeChat(server.url, TEST_ADMIN_KEY, {
      model: 'gpt-fake',
      messages: [
        {
          role: 'user',
          content: 'Sum the second column.',
          files: [
            { name: 'data.csv', type: 'text/csv', data_b64: b64('a,1\nb,2\n') },
            { name: 'main.py', type: 'application/octet-stream', data_b64: b64('print("hi")') },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    const text = lastUpstreamMessages().at(-1)!.content as string;
    expect(text).toContain('<file name="data.csv" type="text/csv">\na,1\nb,2\n\n</file>');
    expect(text).toContain('<file name="main.py">\nprint("hi")\n</file>');
    expect(text.endsWith('Sum the second column.')).toBe(true);
  });

  it('rejects bad base64 (400), unsupported types (415) and oversize files (413)', async () => {
    const send = (file: Record<string, unknown>) => nativeChat(server.url, TEST_ADMIN_KEY, { messages: [{ role: 'user', content: 'look', files: [file] }] });
    const bad = await send({ name: 'a.txt', type: 'text/plain', data_b64: 'not base64!!' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: expect.stringMatching(/messages\[0\]\.files\[0\]\.data_b64.*base64/) });

    const pdf = await send({ name: 'report.pdf', type: 'application/pdf', data_b64: b64('%PDF-1.4') });
    expect(pdf.status).toBe(415);
    expect(pdf.json).toEqual({ error: expect.stringMatching(/report\.pdf.*application\/pdf/) });

    const binary = await send({ name: 'blob.txt', type: 'text/plain', data_b64: b64(Buffer.from([0xff, 0xfe, 0x00, 0x81])) });
    expect(binary.status).toBe(415);

    const big = await send({ name: 'big.txt', type: 'text/plain', data_b64: b64(Buffer.alloc(MAX_FILE_BYTES + 1, 0x61)) });
    expect(big.status).toBe(413);
    expect(big.json).toEqual({ error: expect.stringMatching(/big\.txt.*limit/) });
  });
});

describe('POST /api/chat validation and billing', () => {
  it('answers JSON errors before the stream starts', async () => {
    expect((await nativeChat(server.url, TEST_ADMIN_KEY, {})).status).toBe(400);
    expect((await nativeChat(server.url, TEST_ADMIN_KEY, { messages: [] })).status).toBe(400);
    const assistantLast = await nativeChat(server.url, TEST_ADMIN_KEY, {
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
    });
    expect(assistantLast.status).toBe(400);
    const noKey = await nativeChat(server.url, 'bkb_' + '0'.repeat(48), { messages: [{ role: 'user', content: 'a' }] });
    expect(noKey.status).toBe(401);
    expect(noKey.json).toEqual({ error: 'Invalid or missing API key' });
  });

  it('needs the chat scope', async () => {
    const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
    const created = await request(server.url)
      .post('/api/keys')
      .set(admin)
      .send({ name: 'reader', scopes: ['read'] });
    const res = await nativeChat(server.url, created.body.key as string, { messages: [{ role: 'user', content: 'a' }] });
    expect(res.status).toBe(403);
  });

  it('an account without credits gets the 402 as an SSE error event', async () => {
    const brokeKey = await keyForNewAccount('broke-team');
    const res = await nativeChat(server.url, brokeKey, { messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(402);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.events).toEqual([{ type: 'error', error: expect.stringMatching(/Insufficient credits/), code: 'insufficient_credits' }]);
  });

  it('a billing refusal after routing is an SSE error event with the 402 status', async () => {
    const live = server.gateway;
    const refusing = {
      runtime: live.runtime,
      breakers: new CircuitBreakers({ failures: 5, window_s: 60, cooldown_s: 30 }, Date.now),
      billing: {
        reserve: () => {
          throw new GatewayError('insufficient_credits', 'Insufficient credits');
        },
        settle: () => {},
        release: () => {},
      },
      telemetry: NO_TELEMETRY,
      clock: Date.now,
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    };
    const conversations = new ConversationStore(live.database.db, Date.now);
    const app = createApp({
      gateway: refusing,
      db: live.database.db,
      keyStore: live.keyStore,
      isDraining: () => false,
      startedAt: Date.now(),
      apiRoutes: [nativeChatRoutes({ gateway: refusing, conversations })],
    });
    const res = await request(app)
      .post('/api/chat')
      .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .send({ messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(402);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(parseNativeSse(res.text)).toEqual([{ type: 'error', error: 'Insufficient credits', code: 'insufficient_credits' }]);
  });
});
