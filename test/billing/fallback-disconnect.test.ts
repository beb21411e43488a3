/** Only the answering attempt of a fallback is billed; a client that hangs up mid-stream pays for what was produced. */
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargeMicros } from '../../src/billing/price.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { TEST_ADMIN_KEY, startTestServer, type TestServer } from '../helpers/start-server.js';
import { balances, bearer, fundedKey, ledgerRows } from './billing-helpers.js';

let server: TestServer;
let failing: FakeOpenAI;
let healthy: FakeOpenAI;

beforeAll(async () => {
  failing = await startFakeOpenAI({ behaviour: { kind: 'status', status: 500 } });
  healthy = await startFakeOpenAI();
  server = await startTestServer({
    auth: { admin_keys: [TEST_ADMIN_KEY] },
    billing: { unmetered_accounts: [] },
    rate_limits: { default_rpm: 100_000 },
    providers: [
      { name: 'down', type: 'openai', base_url: failing.url, api_key: 'sk-a', timeout_ms: 5000 },
      { name: 'up', type: 'openai', base_url: healthy.url, api_key: 'sk-b', timeout_ms: 5000 },
      { name: 'slow', type: 'mock', tokens_per_second: 40 },
    ],
    models: [
      { id: 'primary', provider: 'down', categories: ['text'], pricing: { input_per_1m: 5, output_per_1m: 15 } },
      { id: 'backup', provider: 'up', categories: ['text'], pricing: { input_per_1m: 1, output_per_1m: 2 } },
      { id: 'slow-model', provider: 'slow', categories: ['code'], pricing: { input_per_1m: 3, output_per_1m: 30 } },
    ],
    routing: { categories: { text: { policy: 'fixed', models: ['primary', 'backup'] }, code: { policy: 'fixed', models: ['slow-model'] } } },
  });
});
afterAll(async () => {
  await server?.close();
  await failing?.close();
  await healthy?.close();
});

describe('fallback billing', () => {
  it.each([false, true])('bills only the answering model (stream: %s)', async (stream) => {
    const { accountId, key } = await fundedKey(server, `fallback-${stream}`, 1);
    const before = failing.requests.length;
    const res = await request(server.url)
      .post('/v1/chat/completions')
      .set(bearer(key))
      .send({ model: 'auto', messages: [{ role: 'user', content: 'hello there' }], stream, ...(stream ? { stream_options: { include_usage: true } } : {}) });
    expect(res.status).toBe(200);
    expect(res.headers['x-switchboard-model']).toBe('backup');
    expect(failing.requests.length).toBeGreaterThan(before);
    const usage = stream
      ? res.text
          .split('\n')
          .filter((l) => l.startsWith('data: {'))
          .map((l) => JSON.parse(l.slice(6)) as { usage?: { prompt_tokens: number; completion_tokens: number } })
          .find((c) => c.usage)!.usage!
      : (res.body.usage as { prompt_tokens: number; completion_tokens: number });
    const expected = chargeMicros({ inputPer1M: 1, outputPer1M: 2 }, { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens }, 0.025);
    const usageRows = (await ledgerRows(server, accountId)).filter((r) => r.type === 'usage');
    expect(usageRows).toHaveLength(1);
    expect(usageRows[0]).toMatchObject({ model: 'backup', amount_micros: -expected });
  });
});

describe('client disconnect mid-stream', () => {
  it('bills the tokens produced before the client went away', async () => {
    const { accountId, key } = await fundedKey(server, 'disconnect', 1);
    const url = new URL('/v1/chat/completions', server.url);
    const body = JSON.stringify({
      model: 'slow-model',
      stream: true,
      max_tokens: 500,
      messages: [{ role: 'user', content: 'write a long python function please' }],
      temperature: 0,
    });
    // The mock's answer for a custom reply is long enough; read a few chunks, then hang up.
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } }, (res) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += (chunk.toString().match(/"content":/g) ?? []).length;
          if (seen >= 3) {
            req.destroy();
            resolve();
          }
        });
        res.on('error', () => resolve());
        res.on('end', () => reject(new Error('the stream ended before the client hung up')));
      });
      req.on('error', () => undefined);
      req.end(body);
    });
    let rows = await ledgerRows(server, accountId);
    for (let i = 0; i < 100 && !rows.some((r) => r.type === 'usage'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      rows = await ledgerRows(server, accountId);
    }
    const usage = rows.find((r) => r.type === 'usage');
    expect(usage).toBeDefined();
    expect(usage!.output_tokens).toBeGreaterThan(0);
    expect(usage!.amount_micros).toBe(
      -chargeMicros({ inputPer1M: 3, outputPer1M: 30 }, { inputTokens: usage!.input_tokens!, outputTokens: usage!.output_tokens! }, 0.025),
    );
    const b = await balances(server, accountId);
    expect(b.cached).toBe(b.sum);
    // The whole answer is longer: what was billed is the part produced before the hang-up.
    const full = await request(server.url)
      .post('/v1/chat/completions')
      .set(bearer(key))
      .send({ ...JSON.parse(body), stream: false });
    expect(full.status).toBe(200);
    expect(usage!.output_tokens).toBeLessThan(full.body.usage.completion_tokens as number);
    // Nothing is still held for the aborted request.
    const summary = await request(server.url).get('/api/usage/summary').set(bearer(key));
    expect(summary.body.reserved).toBe(0);
  });
});
