/**
 * A client's X-Request-Id is a correlation id, not a key: request logs are keyed by a server id
 * and feedback resolves the id within the caller's account. Another account sending the same id
 * can neither see, score nor overwrite the first account's request (it used to replace the
 * pending row, or be dropped by the primary key once written).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { grantCredits } from './support.js';

let server: TestServer;
const keys: Record<string, string> = {};

async function api(path: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  server = await startTestServer(mockConfig());
  for (const name of ['alpha', 'beta']) {
    const account = ((await (await api('/api/admin/accounts', TEST_ADMIN_KEY, { name })).json()) as { id: string }).id;
    await grantCredits(server.url, account, 5);
    keys[name] = ((await (await api('/api/keys', TEST_ADMIN_KEY, { name, account })).json()) as { key: string }).key;
  }
});
afterAll(async () => server?.close());

const chat = async (key: string, requestId: string) => {
  const res = await api(
    '/v1/chat/completions',
    key,
    { model: 'mock-fast', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] },
    { 'x-request-id': requestId },
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('x-request-id')).toBe(requestId);
  await res.arrayBuffer();
};
const feedback = async (key: string, requestId: string) => (await api('/api/feedback', key, { requestId, score: 1 })).status;

describe('the same X-Request-Id from two accounts', () => {
  it('stays two requests, each scored only by its own account (before the log is written)', async () => {
    await chat(keys['alpha']!, 'shared-request-0001');
    await chat(keys['beta']!, 'shared-request-0001');
    expect(await feedback(keys['beta']!, 'shared-request-0001')).toBe(204);
    expect(await feedback(keys['alpha']!, 'shared-request-0001')).toBe(204);
    expect(await feedback(keys['alpha']!, 'shared-request-0001')).toBe(409);
  });

  it('and after the log is written', async () => {
    await chat(keys['alpha']!, 'shared-request-0002');
    await chat(keys['beta']!, 'shared-request-0002');
    // Request logs reach the database within a few seconds.
    const db = server.gateway.database.db;
    const deadline = Date.now() + 8000;
    let rows: { account_id: string }[] = [];
    while (Date.now() < deadline) {
      rows = await db.selectFrom('request_logs').select(['account_id']).where('request_id', '=', 'shared-request-0002').execute();
      if (rows.length === 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(rows).toHaveLength(2);
    expect(await feedback(keys['alpha']!, 'shared-request-0002')).toBe(204);
    expect(await feedback(keys['beta']!, 'shared-request-0002')).toBe(204);
    expect(await feedback(keys['beta']!, 'shared-request-0002')).toBe(409);
    expect(await feedback(keys['beta']!, 'shared-request-9999')).toBe(404);
  });
});

describe('the migration', () => {
  it('keeps the rows of an existing request_logs table and gives them server ids', async () => {
    const { openDatabase } = await import('../../src/db/client.js');
    const { MIGRATIONS } = await import('../../src/db/migrate.js');
    const { Migrator, sql } = await import('kysely');
    const handle = openDatabase('sqlite::memory:');
    try {
      const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
      await migrator.migrateTo('2026-11-23-030-conversations');
      await sql`INSERT INTO request_logs (request_id, account_id, model, category, policy, status, latency_ms, input_tokens, output_tokens, cost_micros, created_at)
        VALUES ('old-1', 'default', 'm', 'text', 'fixed', 'ok', 1, 1, 1, 1, '2026-11-30T00:00:00.000Z')`.execute(handle.db);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await handle.db.selectFrom('request_logs').select(['id', 'request_id']).execute();
      expect(rows).toEqual([{ id: 1, request_id: 'old-1' }]);
    } finally {
      await handle.close();
    }
  });
});
