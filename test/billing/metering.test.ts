/** Exact-to-the-micro-dollar charges for every path of the gateway, through the real server. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargeMicros } from '../../src/billing/price.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';
import { balances, bearer, chatBody, fundedKey, ledgerRows } from './billing-helpers.js';

const FAST = { inputPer1M: 0.15, outputPer1M: 0.6 };
const OVERHEAD = 0.025;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(mockConfig({ billing: { unmetered_accounts: [] }, rate_limits: { default_rpm: 100_000 } }));
});
afterAll(async () => server?.close());

describe('metering', () => {
  it('charges a non-streaming request exactly: tokens × price × (1 + overhead), rounded once', async () => {
    const { accountId, key } = await fundedKey(server, 'nonstream', 1);
    const res = await request(server.url).post('/v1/chat/completions').set(bearer(key)).send(chatBody('Explain the ledger please'));
    expect(res.status).toBe(200);
    const usage = { inputTokens: res.body.usage.prompt_tokens as number, outputTokens: res.body.usage.completion_tokens as number };
    const expected = chargeMicros(FAST, usage, OVERHEAD);
    expect(expected).toBeGreaterThan(0);
    const rows = await ledgerRows(server, accountId);
    expect(rows.map((r) => r.type)).toEqual(['grant', 'usage']);
    const usageRow = rows[1]!;
    expect(usageRow).toMatchObject({
      amount_micros: -expected,
      cost_micros: expected,
      model: 'mock-fast',
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      request_id: res.headers['x-request-id'],
    });
    expect(await balances(server, accountId)).toEqual({ cached: 1_000_000 - expected, sum: 1_000_000 - expected, lastAfter: 1_000_000 - expected });
  });

  it('charges a streamed request exactly and commits the charge before the stream ends', async () => {
    const { accountId, key } = await fundedKey(server, 'stream', 1);
    const res = await request(server.url)
      .post('/v1/chat/completions')
      .set(bearer(key))
      .send(chatBody('Stream me an answer', { stream: true, stream_options: { include_usage: true } }));
    expect(res.status).toBe(200);
    const chunks = res.text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)) as { usage?: { prompt_tokens: number; completion_tokens: number } });
    const reported = chunks.find((c) => c.usage)?.usage;
    expect(reported).toBeDefined();
    const expected = chargeMicros(FAST, { inputTokens: reported!.prompt_tokens, outputTokens: reported!.completion_tokens }, OVERHEAD);
    const rows = await ledgerRows(server, accountId);
    expect(rows.at(-1)).toMatchObject({
      type: 'usage',
      amount_micros: -expected,
      input_tokens: reported!.prompt_tokens,
      output_tokens: reported!.completion_tokens,
    });
    const b = await balances(server, accountId);
    expect(b.cached).toBe(b.sum);
  });

  it('charges the Anthropic format the same way', async () => {
    const { accountId, key } = await fundedKey(server, 'anthropic-format', 1);
    const res = await request(server.url)
      .post('/v1/messages')
      .set({ 'x-api-key': key })
      .send({ model: 'mock-fast', max_tokens: 100, messages: [{ role: 'user', content: 'hello there' }] });
    expect(res.status).toBe(200);
    const expected = chargeMicros(FAST, { inputTokens: res.body.usage.input_tokens, outputTokens: res.body.usage.output_tokens }, OVERHEAD);
    expect((await ledgerRows(server, accountId)).at(-1)).toMatchObject({ type: 'usage', amount_micros: -expected });
  });

  it('test-mode keys cost nothing and are never blocked by a zero balance', async () => {
    const { accountId, key } = await fundedKey(server, 'test-mode', 0, { mode: 'test' });
    for (let i = 0; i < 3; i++) {
      const res = await request(server.url)
        .post('/v1/chat/completions')
        .set(bearer(key))
        .send(chatBody(`test request ${i}`));
      expect(res.status).toBe(200);
    }
    expect(await ledgerRows(server, accountId)).toEqual([]);
    expect((await balances(server, accountId)).cached).toBe(0);
  });

  it('a live key of an account with no credits gets 402 Insufficient credits in every envelope', async () => {
    const { key } = await fundedKey(server, 'broke', 0);
    const openai = await request(server.url).post('/v1/chat/completions').set(bearer(key)).send(chatBody('hi'));
    expect(openai.status).toBe(402);
    expect(openai.body.error.message).toBe('Insufficient credits');
    const anthropic = await request(server.url)
      .post('/v1/messages')
      .set({ 'x-api-key': key })
      .send({ model: 'mock-fast', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(anthropic.status).toBe(402);
    expect(anthropic.body.error.message).toBe('Insufficient credits');
  });

  it('refuses a request whose maximum cost the balance cannot cover, before calling the provider', async () => {
    // mock-smart: 2048 max tokens × $10/1M × 1.025 ≈ $0.021 — more than $0.01.
    const { accountId, key } = await fundedKey(server, 'small-balance', 0.01);
    const res = await request(server.url)
      .post('/v1/chat/completions')
      .set(bearer(key))
      .send(chatBody('hi', { model: 'mock-smart' }));
    expect(res.status).toBe(402);
    expect((await ledgerRows(server, accountId)).map((r) => r.type)).toEqual(['grant']);
    const ok = await request(server.url)
      .post('/v1/chat/completions')
      .set(bearer(key))
      .send(chatBody('hi', { model: 'mock-smart', max_tokens: 50 }));
    expect(ok.status).toBe(200);
  });
});
