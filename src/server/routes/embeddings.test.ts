import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/helpers/fake-openai.js';
import type { ActualCharge, BillingPort } from '../../gateway/billing-port.js';
import { CircuitBreakers } from '../../gateway/circuit-breaker.js';
import type { GatewayDeps } from '../../gateway/handle-chat.js';
import type { ResolvedModel, Runtime } from '../../gateway/runtime.js';
import { NO_TELEMETRY } from '../../gateway/telemetry.js';
import type { Principal, Provider } from '../../plugins/types.js';
import { createHttpClient } from '../../upstream/http-client.js';
import { errorHandler, notFound } from '../error-handler.js';
import { jsonBody } from '../middleware/json-body.js';
import { requestId } from '../middleware/request-id.js';
import { stateOf } from '../request-state.js';
import { embeddingsRoutes } from './embeddings.js';

const principal: Principal = { accountId: 'acct', keyId: 'k1', scopes: ['chat'], mode: 'live', rateLimitRpm: null, scheme: 'api-key' };
const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as GatewayDeps['logger'];

let fake: FakeOpenAI;
let url: string;
let close: () => Promise<void>;
const calls: { op: string; charge?: ActualCharge; max?: number }[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const provider = { name: 'openai', passthroughTarget: () => ({ baseUrl: fake.url, headers: { authorization: 'Bearer sk-up' } }) } as unknown as Provider;
  const model = {
    id: 'emb',
    name: 'emb',
    providerName: 'oai',
    provider,
    upstreamModel: 'text-embedding-3-small',
    categories: [],
    inputPer1M: 2,
    outputPer1M: 0,
    cachedInputPer1M: 2,
    cacheWritePer1M: 2.5,
    contextWindow: 8000,
    capabilities: new Set(['embeddings']),
    fallbacks: [],
  } as ResolvedModel;
  const runtime = {
    config: { billing: { overhead: 0.5 }, providers: [{ name: 'oai', type: 'openai', timeout_ms: 2000 }] },
    models: new Map([['emb', model]]),
    resolveModelId: (id: string) => (id === 'emb' ? id : undefined),
  } as unknown as Runtime;
  const billing: BillingPort = {
    reserve: (_p, e) => (calls.push({ op: 'reserve', max: e.maxCostMicros }), { id: e.requestId }),
    settle: (_p, _r, charge) => void calls.push({ op: 'settle', charge }),
    release: () => void calls.push({ op: 'release' }),
  };
  const http = createHttpClient();
  const gateway: GatewayDeps = {
    runtime: () => runtime,
    breakers: new CircuitBreakers({ failures: 5, window_s: 60, cooldown_s: 30 }, Date.now),
    billing,
    telemetry: NO_TELEMETRY,
    clock: Date.now,
    logger: silent,
  };
  const app = express();
  app.use(requestId(Date.now));
  const auth: express.RequestHandler = (_req, res, next) => {
    stateOf(res).principal = principal;
    next();
  };
  app.use(embeddingsRoutes({ gateway, http })({ auth, body: jsonBody(() => '1mb') }));
  app.use(notFound);
  app.use(errorHandler(silent));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    await new Promise((r) => server.close(r));
    await http.close();
    await fake.close();
  };
});

afterAll(() => close());

const post = (body: unknown) => fetch(`${url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('embeddings billing', () => {
  it('reserves from the estimate and settles the usage the upstream reported', async () => {
    calls.length = 0;
    const res = await post({ model: 'emb', input: 'a'.repeat(40) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { prompt_tokens: number } };
    const tokens = body.usage.prompt_tokens;
    expect(calls.map((c) => c.op)).toEqual(['reserve', 'settle']);
    // 10 estimated tokens × $2/1M × 1.5 = 30 µ$
    expect(calls[0]!.max).toBe(30);
    expect(calls[1]!.charge).toMatchObject({ modelId: 'emb', inputTokens: tokens, outputTokens: 0, costMicros: Math.round(tokens * 2 * 1.5) });
  });

  it('releases the reservation when the upstream fails', async () => {
    calls.length = 0;
    fake.setBehaviour({ kind: 'status', status: 429 });
    try {
      const res = await post({ model: 'emb', input: ['x', 'y'] });
      expect(res.status).toBe(429);
    } finally {
      fake.setBehaviour({ kind: 'ok' });
    }
    expect(calls.map((c) => c.op)).toEqual(['reserve', 'release']);
  });

  it('rejects malformed input before reserving', async () => {
    calls.length = 0;
    for (const body of [{ model: 'emb', input: [] }, { model: 'emb', input: [{}] }, { input: 'x' }, ['array']]) {
      expect((await post(body)).status).toBe(400);
    }
    expect(calls).toHaveLength(0);
  });
});
