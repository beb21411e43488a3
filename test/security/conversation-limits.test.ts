/**
 * /api/chat caps and stored conversations. 200,000 messages in one body were accepted and
 * stalled the event loop; past ~8,190 turns a conversation silently failed to store (too many
 * SQL variables) while `done` was sent; test-mode keys stored unbounded files for free; nothing
 * could be deleted and the database was world-readable. Now: limits.* answer 413 (test keys
 * too), long conversations are stored in chunks and read back from their tail, a conversation
 * can be deleted, storage can be turned off, and the data directory and files are private.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeChat } from '../helpers/native-sse.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
const KB = 1024;

beforeAll(async () => {
  server = await startTestServer(mockConfig({ limits: { max_messages: 10_000, max_conversation_bytes: 200 * KB, max_account_bytes: 400 * KB } }));
});
afterAll(async () => server?.close());

async function api(method: string, path: string, key: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function accountWithKey(name: string, mode: 'live' | 'test' = 'live'): Promise<string> {
  const account = ((await (await api('POST', '/api/admin/accounts', TEST_ADMIN_KEY, { name })).json()) as { id: string }).id;
  await api('POST', `/api/admin/accounts/${account}/credits`, TEST_ADMIN_KEY, { amount: 10 });
  return ((await (await api('POST', '/api/keys', TEST_ADMIN_KEY, { name, account, mode })).json()) as { key: string }).key;
}

const turns = (n: number) => Array.from({ length: n }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: `turn ${i}` }));
const fileOf = (bytes: number) => ({ name: 'notes.txt', type: 'text/plain', data_b64: Buffer.from('x'.repeat(bytes)).toString('base64') });

describe('limits.max_messages', () => {
  it('200,000 messages are a fast 413 in the seed envelope, without stalling the event loop', async () => {
    const own = await startTestServer(mockConfig());
    try {
      const body = JSON.stringify({ model: 'mock-fast', messages: Array.from({ length: 200_000 }, () => ({ role: 'user', content: 'x' })) });
      let worstGap = 0;
      let last = performance.now();
      const probe = setInterval(() => {
        const now = performance.now();
        worstGap = Math.max(worstGap, now - last);
        last = now;
      }, 10);
      const started = performance.now();
      const res = await fetch(`${own.url}/api/chat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body,
      });
      const elapsed = performance.now() - started;
      clearInterval(probe);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: expect.stringContaining('at most 1000 messages per request (limits.max_messages)') });
      expect(elapsed).toBeLessThan(1500);
      expect(worstGap).toBeLessThan(400);
    } finally {
      await own.close();
    }
  });
});

describe('long conversations', () => {
  it('a 9,000-turn conversation is stored whole and continued from its tail', async () => {
    const key = await accountWithKey('long');
    const first = await nativeChat(server.url, key, { model: 'mock-fast', max_tokens: 16, messages: [...turns(8999), { role: 'user', content: 'and now?' }] });
    expect(first.status).toBe(200);
    const conversationId = first.events[0]?.['conversationId'] as string;
    expect(first.events.at(-1)?.type).toBe('done');
    const db = server.gateway.database.db;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('conversation_messages')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('conversation_id', '=', conversationId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(9001);
    const next = await nativeChat(server.url, key, { conversationId, max_tokens: 16, messages: [{ role: 'user', content: 'one more' }] });
    expect(next.status).toBe(200);
    expect(next.events[0]).toMatchObject({ type: 'meta', conversationId });
    expect(next.events.at(-1)?.type).toBe('done');
    expect(await count()).toBe(9003);
  });

  it('limits.max_conversation_bytes and limits.max_account_bytes are 413s, for test-mode keys too', async () => {
    for (const mode of ['live', 'test'] as const) {
      const key = await accountWithKey(`quota-${mode}`, mode);
      const big = await nativeChat(server.url, key, { messages: [{ role: 'user', content: 'read this', files: [fileOf(250 * KB)] }] });
      expect(big.status, mode).toBe(413);
      expect(big.json).toEqual({ error: expect.stringContaining('limits.max_conversation_bytes') });

      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const ok = await nativeChat(server.url, key, { messages: [{ role: 'user', content: 'read this', files: [fileOf(150 * KB)] }] });
        expect(ok.status, mode).toBe(200);
        ids.push(ok.events[0]?.['conversationId'] as string);
      }
      const grow = await nativeChat(server.url, key, { conversationId: ids[0], messages: [{ role: 'user', content: 'more', files: [fileOf(60 * KB)] }] });
      expect(grow.status).toBe(413);
      const third = await nativeChat(server.url, key, { messages: [{ role: 'user', content: 'read this', files: [fileOf(150 * KB)] }] });
      expect(third.status).toBe(413);
      expect(third.json).toEqual({ error: expect.stringContaining('limits.max_account_bytes') });
      // Deleting frees the room; store: false needs none.
      expect((await nativeChat(server.url, key, { store: false, messages: [{ role: 'user', content: 'x', files: [fileOf(150 * KB)] }] })).status).toBe(200);
      expect((await api('DELETE', `/api/conversations/${ids[1]}`, key)).status).toBe(204);
      expect((await nativeChat(server.url, key, { messages: [{ role: 'user', content: 'read this', files: [fileOf(150 * KB)] }] })).status).toBe(200);
    }
  });
});

describe('DELETE /api/conversations/:id', () => {
  it('removes the own conversation and its messages; another account gets 404', async () => {
    const owner = await accountWithKey('owner');
    const other = await accountWithKey('other');
    const chat = await nativeChat(server.url, owner, { messages: [{ role: 'user', content: 'secret plans', files: [fileOf(10)] }] });
    const id = chat.events[0]?.['conversationId'] as string;
    const foreign = await api('DELETE', `/api/conversations/${id}`, other);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: `Conversation ${id} not found` });
    expect((await api('DELETE', `/api/conversations/${id}`, owner)).status).toBe(204);
    expect((await api('DELETE', `/api/conversations/${id}`, owner)).status).toBe(404);
    const left = await server.gateway.database.db.selectFrom('conversation_messages').select('id').where('conversation_id', '=', id).execute();
    expect(left).toEqual([]);
    const continued = await nativeChat(server.url, owner, { conversationId: id, messages: [{ role: 'user', content: 'hi' }] });
    expect(continued.status).toBe(404);
  });
});

describe('storage opt-out', () => {
  it('store: false keeps nothing; storage.conversations: false keeps nothing and refuses conversationId', async () => {
    const key = await accountWithKey('private');
    const once = await nativeChat(server.url, key, { store: false, messages: [{ role: 'user', content: 'do not keep' }] });
    expect(once.status).toBe(200);
    expect(once.events[0]).toMatchObject({ type: 'meta', conversationId: null });
    const off = await startTestServer(mockConfig({ storage: { conversations: false } }));
    try {
      const res = await nativeChat(off.url, TEST_ADMIN_KEY, { messages: [{ role: 'user', content: 'hello' }] });
      expect(res.status).toBe(200);
      expect(res.events[0]).toMatchObject({ conversationId: null });
      expect(await off.gateway.database.db.selectFrom('conversation_messages').select('id').execute()).toEqual([]);
      const refused = await nativeChat(off.url, TEST_ADMIN_KEY, { conversationId: 'conv_x', messages: [{ role: 'user', content: 'hello' }] });
      expect(refused.status).toBe(400);
    } finally {
      await off.close();
    }
  });
});

describe('files at rest', () => {
  it('the data directory is 0700 and the database, WAL and SHM files 0600', async () => {
    const dir = join(server.dir, 'data');
    const own = await startTestServer({ ...mockConfig(), database: { url: `sqlite:${join(dir, 'switchboard.db')}` } });
    try {
      await nativeChat(own.url, TEST_ADMIN_KEY, { messages: [{ role: 'user', content: 'write something' }] });
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      for (const file of ['switchboard.db', 'switchboard.db-wal', 'switchboard.db-shm']) expect((await stat(join(dir, file))).mode & 0o777, file).toBe(0o600);
    } finally {
      await own.close();
    }
  });
});
