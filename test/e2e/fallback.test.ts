/**
 * Fallback through the real server: the first candidate's upstream fails with 500, 429, a hang
 * (past its timeout_ms) and a connection reset; each request is answered by the second
 * candidate. After `circuit_breaker.failures` failures the breaker opens, /api/models shows the
 * model unavailable, and it is no longer tried.
 */
import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FALLBACK_NOTICE } from '../../src/formats/native/events.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { nativeChat, tokensText } from '../helpers/native-sse.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

const BACKUP_TEXT = 'Answer from the backup upstream.';

let server: TestServer;
let primary: FakeOpenAI;
let backup: FakeOpenAI;
let client: OpenAI;

async function statusOf(id: string): Promise<string> {
  const res = await request(server.url).get('/api/models').set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);
  return (res.body.models as { id: string; status: string }[]).find((m) => m.id === id)!.status;
}

beforeAll(async () => {
  [primary, backup] = await Promise.all([startFakeOpenAI(), startFakeOpenAI({ behaviour: { kind: 'ok', text: BACKUP_TEXT } })]);
  server = await startTestServer(
    mockConfig({
      providers: [
        { name: 'local-mock', type: 'mock' },
        { name: 'up-primary', type: 'openai', base_url: primary.url, api_key: 'sk-primary', timeout_ms: 300 },
        { name: 'up-backup', type: 'openai', base_url: backup.url, api_key: 'sk-backup', timeout_ms: 5000 },
      ],
      models: [
        { id: 'primary', provider: 'up-primary', categories: ['text'] },
        { id: 'backup', provider: 'up-backup', categories: ['text'] },
      ],
      aliases: {},
      routing: {
        categories: { text: { policy: 'fixed', models: ['primary', 'backup'] } },
        circuit_breaker: { failures: 4, window_s: 60, cooldown_s: 60 },
      },
    }),
  );
  client = new OpenAI({ apiKey: TEST_ADMIN_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await Promise.all([primary?.close(), backup?.close()]);
});

describe('fallback to the second candidate', () => {
  it('on a 500', async () => {
    primary.setBehaviour({ kind: 'status', status: 500 });
    const res = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hello there' }] }).withResponse();
    expect(res.data.model).toBe('backup');
    expect(res.data.choices[0]!.message.content).toBe(BACKUP_TEXT);
    expect(res.response.headers.get('x-switchboard-model')).toBe('backup');
    expect(res.response.headers.get('x-switchboard-attempts')).toBe('2');
  });

  it('on a 429', async () => {
    primary.setBehaviour({
      kind: 'status',
      status: 429,
      body: { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    });
    const res = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hello there' }] });
    expect(res.model).toBe('backup');
    expect(res.choices[0]!.message.content).toBe(BACKUP_TEXT);
  });

  it('on a hang past timeout_ms (streaming)', async () => {
    primary.setBehaviour({ kind: 'hang' });
    const stream = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hello there' }], stream: true });
    let text = '';
    let model = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      model = chunk.model;
    }
    expect(model).toBe('backup');
    expect(text).toBe(BACKUP_TEXT);
  });

  it('on a connection reset (native SSE shows the fallback notice)', async () => {
    primary.setBehaviour({ kind: 'reset' });
    const res = await nativeChat(server.url, TEST_ADMIN_KEY, { messages: [{ role: 'user', content: 'hello there' }] });
    expect(res.status).toBe(200);
    expect(res.events[0]).toMatchObject({ type: 'meta', model: 'backup' });
    expect(res.events.find((e) => e.type === 'error')).toMatchObject({ error: FALLBACK_NOTICE, from: 'primary', to: 'backup' });
    expect(tokensText(res.events)).toBe(BACKUP_TEXT);
    expect(res.events.at(-1)).toMatchObject({ type: 'done', model: 'backup' });
  });

  it('after N failures the breaker opens: /api/models shows it and it is skipped', async () => {
    expect(await statusOf('primary')).toBe('unavailable');
    expect(await statusOf('backup')).toBe('available');
    primary.setBehaviour({ kind: 'ok' });
    const before = primary.requests.length;
    const res = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hello there' }] });
    expect(res.model).toBe('backup');
    expect(primary.requests.length).toBe(before);
  });
});
