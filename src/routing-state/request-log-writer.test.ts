import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Policy } from '../plugins/types.js';
import type { Runtime } from '../gateway/runtime.js';
import { RequestLogWriter } from './request-log-writer.js';
import { RoutingStateStore } from './state-store.js';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function setup() {
  const handle = openDatabase('sqlite::memory:');
  await migrateToLatest(handle.db);
  let now = Date.parse('2026-11-23T10:00:00Z');
  const clock = () => now;
  const writer = new RequestLogWriter(handle, clock, silent);
  const complete = (requestId: string, accountId = 'default') => {
    writer.telemetry.routed({ requestId, accountId, keyId: 'k1', category: 'code', subcategory: 'debugging', policy: 'bandit', modelId: 'm1' });
    now += 250;
    writer.telemetry.completed({
      requestId,
      accountId,
      keyId: 'k1',
      modelId: 'm1',
      provider: 'p',
      category: 'code',
      stream: false,
      usage: { inputTokens: 10, outputTokens: 5 },
      costMicros: 42,
      upstreamMs: 200,
      ttftMs: null,
      attempts: 1,
      mode: 'live',
    });
  };
  return { db: handle.db, writer, complete, advance: (ms: number) => (now += ms), close: () => handle.close() };
}

describe('RequestLogWriter', () => {
  it('batches rows until flushed and records them', async () => {
    const t = await setup();
    t.complete('r1');
    expect(await t.db.selectFrom('request_logs').selectAll().execute()).toEqual([]);
    await t.writer.flush();
    const rows = await t.db.selectFrom('request_logs').selectAll().execute();
    expect(rows).toEqual([
      {
        id: expect.any(Number),
        request_id: 'r1',
        account_id: 'default',
        key_id: 'k1',
        model: 'm1',
        category: 'code',
        policy: 'bandit',
        status: 'ok',
        latency_ms: 250,
        input_tokens: 10,
        output_tokens: 5,
        cost_micros: 42,
        created_at: '2026-11-23T10:00:00.250Z',
        feedback_score: null,
      },
    ]);
    await t.close();
  });

  it('claims feedback once, in the pending batch or in the table', async () => {
    const t = await setup();
    t.complete('pending');
    t.complete('written');
    const ttl = 60_000;
    expect(await t.writer.claimFeedback('pending', 'default', 0.5, ttl)).toMatchObject({
      kind: 'claimed',
      request: { category: 'code', model: 'm1', policy: 'bandit' },
    });
    expect(await t.writer.claimFeedback('pending', 'default', 0.5, ttl)).toEqual({ kind: 'already_scored' });
    await t.writer.flush();
    expect(await t.writer.claimFeedback('pending', 'default', 0.9, ttl)).toEqual({ kind: 'already_scored' });
    expect(await t.writer.claimFeedback('written', 'other', 0.9, ttl)).toEqual({ kind: 'not_found' });
    expect(await t.writer.claimFeedback('nope', 'default', 0.9, ttl)).toEqual({ kind: 'not_found' });
    expect(await t.writer.claimFeedback('written', 'default', 1, ttl)).toMatchObject({ kind: 'claimed' });
    expect(await t.writer.claimFeedback('written', 'default', 1, ttl)).toEqual({ kind: 'already_scored' });
    const scores = await t.db.selectFrom('request_logs').select(['request_id', 'feedback_score']).orderBy('request_id').execute();
    expect(scores).toEqual([
      { request_id: 'pending', feedback_score: 0.5 },
      { request_id: 'written', feedback_score: 1 },
    ]);
    await t.close();
  });

  it('refuses feedback after the TTL', async () => {
    const t = await setup();
    t.complete('old');
    t.advance(61_000);
    expect(await t.writer.claimFeedback('old', 'default', 1, 60_000)).toEqual({ kind: 'expired' });
    await t.writer.flush();
    expect(await t.writer.claimFeedback('old', 'default', 1, 60_000)).toEqual({ kind: 'expired' });
    await t.close();
  });
});

describe('RoutingStateStore', () => {
  function runtimeWith(policies: Map<string, Policy>): () => Runtime {
    return () => ({ policies }) as unknown as Runtime;
  }

  it('writes changed snapshots only and restores them; unreadable state is skipped', async () => {
    const t = await setup();
    let state = { n: 1 };
    const restored: unknown[] = [];
    const policy: Policy = { rank: (c) => c, snapshot: () => state, restore: (s) => restored.push(s) };
    const store = new RoutingStateStore(t.db, runtimeWith(new Map([['learner', policy]])), () => 0, silent);
    await store.flush();
    await t.db.updateTable('routing_state').set({ updated_at: 'marker' }).execute();
    await store.flush();
    expect((await t.db.selectFrom('routing_state').select('updated_at').executeTakeFirstOrThrow()).updated_at).toBe('marker');
    state = { n: 2 };
    await store.flush();
    expect(await t.db.selectFrom('routing_state').select(['policy', 'state']).execute()).toEqual([{ policy: 'learner', state: '{"n":2}' }]);

    await t.db.insertInto('routing_state').values({ policy: 'broken', state: '{not json', updated_at: 'x' }).execute();
    const broken: Policy = { rank: (c) => c, restore: () => expect.fail('must not be called') };
    const fresh = new RoutingStateStore(
      t.db,
      runtimeWith(
        new Map([
          ['learner', policy],
          ['broken', broken],
        ]),
      ),
      () => 0,
      silent,
    );
    await fresh.restore();
    expect(restored).toEqual([{ n: 2 }]);
    await t.close();
  });
});
