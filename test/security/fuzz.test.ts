/**
 * 10,000 seeded (deterministic) requests over every route and method with malformed headers,
 * bodies, paths and content types, huge numbers, unicode and nested JSON. Nothing a client sends
 * may produce a 5xx, and every error is in its endpoint's envelope (seed, OpenAI, OpenRouter,
 * Anthropic). A failure prints the seed's request, so it can be replayed.
 */
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeFor } from '../../src/server/client-format.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { MASTER_KEY } from './support.js';

const REQUESTS = 10_000;
const CONCURRENCY = 6;
const SEED = 0x5eed15;

interface Route {
  readonly method: string;
  readonly path: string;
  /** A valid body to mutate (JSON routes). */
  readonly body?: () => unknown;
}

const chat = () => ({ model: 'mock-fast', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] });
const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/v1/chat/completions', body: chat },
  { method: 'POST', path: '/api/v1/chat/completions', body: () => ({ ...chat(), stream: true }) },
  { method: 'POST', path: '/v1/messages', body: chat },
  { method: 'POST', path: '/v1/embeddings', body: () => ({ model: 'mock-fast', input: 'x' }) },
  { method: 'POST', path: '/api/v1/embeddings', body: () => ({ model: 'mock-fast', input: ['x'] }) },
  { method: 'POST', path: '/v1/responses', body: () => ({ model: 'mock-fast', input: 'hello', max_output_tokens: 16 }) },
  { method: 'POST', path: '/api/v1/responses', body: () => ({ model: 'mock-fast', input: [{ role: 'user', content: 'hi' }], stream: true }) },
  { method: 'GET', path: '/v1/responses/:id' },
  { method: 'GET', path: '/v1/models' },
  { method: 'GET', path: '/api/v1/models' },
  {
    method: 'POST',
    path: '/api/chat',
    body: () => ({ messages: [{ role: 'user', content: 'hi', files: [{ name: 'a.txt', type: 'text/plain', data_b64: 'aGk=' }] }] }),
  },
  { method: 'DELETE', path: '/api/conversations/:id' },
  { method: 'POST', path: '/api/route', body: () => ({ prompt: 'write python code' }) },
  { method: 'GET', path: '/api/models' },
  { method: 'GET', path: '/api/pricing' },
  { method: 'POST', path: '/api/feedback', body: () => ({ requestId: 'req-00000000', score: 0.5 }) },
  { method: 'GET', path: '/api/routing/stats' },
  {
    method: 'POST',
    path: '/api/keys',
    body: () => ({ name: 'fuzz', limit: 1, limit_reset: 'daily', expires_in_days: 30, allowed_ips: ['10.0.0.0/8'], scopes: ['chat'] }),
  },
  { method: 'GET', path: '/api/keys' },
  { method: 'GET', path: '/api/keys/:id' },
  { method: 'PATCH', path: '/api/keys/:id', body: () => ({ name: 'renamed', disabled: false, rate_limit_rpm: 10 }) },
  { method: 'DELETE', path: '/api/keys/:id' },
  { method: 'GET', path: '/api/key' },
  { method: 'GET', path: '/api/v1/keys' },
  { method: 'POST', path: '/api/v1/keys', body: () => ({ name: 'fuzz', limit: 2, limit_reset: 'monthly' }) },
  { method: 'GET', path: '/api/v1/keys/:id' },
  { method: 'PATCH', path: '/api/v1/keys/:id', body: () => ({ name: 'x', disabled: true }) },
  { method: 'DELETE', path: '/api/v1/keys/:id' },
  { method: 'GET', path: '/api/v1/key' },
  { method: 'GET', path: '/api/usage/summary' },
  { method: 'GET', path: '/api/usage/by-model' },
  { method: 'GET', path: '/api/usage/history' },
  { method: 'POST', path: '/api/redeem', body: () => ({ code: 'FUZZ' }) },
  { method: 'GET', path: '/api/admin/accounts' },
  { method: 'POST', path: '/api/admin/accounts', body: () => ({ name: 'fuzz-team' }) },
  { method: 'GET', path: '/api/admin/accounts/:id' },
  { method: 'POST', path: '/api/admin/accounts/:id/credits', body: () => ({ amount: 1, note: 'fuzz' }) },
  { method: 'GET', path: '/api/admin/promo-codes' },
  { method: 'POST', path: '/api/admin/promo-codes', body: () => ({ code: 'FUZZ', credits: 1, max_redemptions: 2 }) },
  { method: 'GET', path: '/api/admin/vault' },
  { method: 'PUT', path: '/api/admin/vault/:id', body: () => ({ value: 'secret-value' }) },
  { method: 'DELETE', path: '/api/admin/vault/:id' },
  { method: 'POST', path: '/api/admin/reload' },
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/no/such/route' },
];

type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

const WEIRD_STRINGS = [
  '',
  ' ',
  'ünïcödé ✓ 中文 🙂',
  '\u0000\u0001\u001f',
  '\ud800',
  '%ZZ',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '${SWITCHBOARD_MASTER_KEY}',
  'x'.repeat(5000),
  'auto',
  'mock-fast',
  'default',
  '__proto__',
  'constructor',
];
/** Over limits.max_messages (1000). */
const MANY_MESSAGES = `{"messages":[${Array.from({ length: 1001 }, () => '{"role":"user","content":"x"}').join(',')}]}`;
const WEIRD_NUMBERS = [0, -1, -0, 1e308, -1e308, 2 ** 53 + 1, 0.1, 1e-320, 1.2345678901234568e29, 730, 731, 65536];

function nested(r: Rand): string {
  const depth = pick(r, [10, 129, 129, 3000]);
  return pick(r, ['[', '{"a":']).repeat(1) === '[' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function weirdValue(r: Rand, depth = 0): unknown {
  const k = r();
  if (k < 0.25) return pick(r, WEIRD_STRINGS);
  if (k < 0.45) return pick(r, WEIRD_NUMBERS);
  if (k < 0.55) return pick(r, [true, false, null]);
  if (k < 0.7 && depth < 3) return Array.from({ length: Math.floor(r() * 4) }, () => weirdValue(r, depth + 1));
  if (k < 0.85 && depth < 3) return { [pick(r, WEIRD_STRINGS)]: weirdValue(r, depth + 1), role: pick(r, ['user', 'assistant', 'system', 'tool', 'x']) };
  return pick(r, ['{', '}', '[]', '{}', 'null']);
}

/** Replaces, removes or adds one field somewhere in a valid body. */
function mutate(r: Rand, value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 4 || r() < 0.2) return weirdValue(r);
  if (Array.isArray(value)) {
    if (value.length === 0 || r() < 0.2) return [...value, weirdValue(r)];
    const i = Math.floor(r() * value.length);
    return value.map((v, j) => (j === i ? mutate(r, v, depth + 1) : v));
  }
  const record = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(record);
  const action = r();
  if (action < 0.15 && keys.length > 0) delete record[pick(r, keys)];
  else if (action < 0.3)
    record[
      pick(r, [
        'stream',
        'tools',
        'model',
        'messages',
        'max_tokens',
        'temperature',
        'conversationId',
        'account',
        'scopes',
        'mode',
        'store',
        'expires_at',
        'limit',
      ])
    ] = weirdValue(r);
  else if (keys.length > 0) {
    const key = pick(r, keys);
    record[key] = mutate(r, record[key], depth + 1);
  }
  return record;
}

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

function build(r: Rand, keys: { user: string; test: string; target: string }): FuzzRequest {
  const route = pick(r, ROUTES);
  const method = r() < 0.9 ? route.method : pick(r, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
  const param = pick(r, [
    keys.target,
    'default',
    'conv_missing',
    '%ZZ',
    '%E0%A4%A',
    '%00',
    '%C3%BC',
    '%F0%9F%99%82',
    'a'.repeat(300),
    '..%2F..%2Fetc',
    '%2e%2e',
    '123',
  ]);
  let path = route.path.replace(/:[a-z]+/, param);
  if (r() < 0.15)
    path += pick(r, [
      '?offset=-1&limit=1e309',
      '?page=NaN&limit=-5',
      '?limit=%ZZ',
      '?a[b][c]=1&a=2',
      '?offset=99999999999999999999',
      '/',
      '//',
      '?__proto__[x]=1',
    ]);
  // Mostly valid credentials, so most requests get past authentication.
  const a = r();
  const auth =
    a < 0.35
      ? `Bearer ${TEST_ADMIN_KEY}`
      : a < 0.6
        ? `Bearer ${keys.user}`
        : a < 0.72
          ? `Bearer ${keys.test}`
          : pick(r, ['', 'Bearer junk', `Bearer ${keys.user}x`, 'Basic Zm9vOmJhcg==', 'Bearer a.b.c', `Bearer ${'ÿ'.repeat(40)}`]);
  const headers: Record<string, string> = {};
  if (auth !== '') headers[r() < 0.85 ? 'authorization' : 'x-api-key'] = r() < 0.9 ? auth : auth.replace('Bearer ', '');
  if (r() < 0.2) headers['x-request-id'] = pick(r, ['short', 'fuzz-request-0001', 'a'.repeat(300), 'ÿ-latin1-ÿÿÿÿ', 'x'.repeat(129)]);
  if (r() < 0.05) headers['x-forwarded-for'] = pick(r, ['1.2.3.4', 'not-an-ip', '::1, 999.1.1.1']);
  if (r() < 0.05) headers['origin'] = pick(r, ['https://evil.example', 'null']);

  let body: Buffer | undefined;
  const contentType =
    r() < 0.75
      ? 'application/json'
      : pick(r, [
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/vnd.api+json',
          'garbage/',
          '',
        ]);
  if (route.body || r() < 0.1) {
    const k = r();
    let text: string;
    if (k < 0.45 && route.body) text = JSON.stringify(mutate(r, route.body()));
    else if (k < 0.55 && route.body) text = JSON.stringify(route.body());
    else if (k < 0.65) text = nested(r);
    else if (k < 0.75) text = JSON.stringify(route.body?.() ?? {}).slice(0, Math.floor(r() * 20));
    else if (k < 0.85) text = JSON.stringify(weirdValue(r));
    else if (k < 0.87) text = MANY_MESSAGES;
    else
      text = pick(r, [
        '',
        'name=x&scopes=admin',
        '\u0000\u0001',
        '{"a":1e999999}',
        '{"limit":123456789012345678901234567890,"max_tokens":99999999999999999999}',
        '{"a":"\\ud800"}',
        '[' + '1,'.repeat(2000) + '1]',
      ]);
    body = Buffer.from(text, 'utf8');
    if (contentType !== '') headers['content-type'] = contentType;
    if (r() < 0.03) headers['content-encoding'] = pick(r, ['gzip', 'br', 'x-unknown']);
  }
  return { method, path, headers, ...(body ? { body } : {}) };
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(url: URL, req: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) };
    const outgoing = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** The error envelope of the path's family (SPEC §2), or a reason it is not. */
function envelopeProblem(path: string, answer: Answer): string | null {
  if (answer.contentType.startsWith('text/event-stream')) {
    const events = answer.text.split('\n\n').filter((b) => b.trim().startsWith('data: '));
    return events.length > 0 ? null : 'an SSE error answer without events';
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'not JSON';
  }
  const b = body as Record<string, unknown>;
  const error = b['error'] as Record<string, unknown> | undefined;
  switch (envelopeFor(path.split('?')[0]!)) {
    case 'seed':
      return typeof b['error'] === 'string' ? null : 'not {"error": string}';
    case 'openai':
      return typeof error?.['message'] === 'string' && typeof error['type'] === 'string' ? null : 'not the OpenAI envelope';
    case 'openrouter':
      return typeof error?.['message'] === 'string' && typeof error['code'] === 'number' ? null : 'not the OpenRouter envelope';
    case 'anthropic':
      return b['type'] === 'error' && typeof error?.['type'] === 'string' && typeof error['message'] === 'string' ? null : 'not the Anthropic envelope';
  }
}

let server: TestServer;
const keys = { user: '', test: '', target: '' };

beforeAll(async () => {
  server = await startTestServer(
    mockConfig({
      server: { body_limit: '256kb' },
      billing: { promo_codes: [{ code: 'FUZZ', credits: 1, max_redemptions: 5 }] },
      models: [
        {
          id: 'mock-fast',
          provider: 'local-mock',
          categories: ['text', 'code', 'image', 'video', 'document'],
          capabilities: ['text', 'tools', 'vision', 'streaming', 'embeddings'],
        },
        { id: 'mock-smart', provider: 'local-mock', categories: ['text', 'code'], pricing: { input_per_1m: 2.5, output_per_1m: 10 } },
      ],
    }),
    { SWITCHBOARD_MASTER_KEY: MASTER_KEY },
  );
  const make = async (body: unknown) => {
    const res = await fetch(`${server.url}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { key: string; id: string };
  };
  keys.user = (await make({ name: 'user', scopes: ['chat', 'read', 'keys'] })).key;
  keys.test = (await make({ name: 'test', mode: 'test', scopes: ['chat', 'read'] })).key;
  keys.target = (await make({ name: 'target' })).id;
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await server?.close();
});

describe('fuzz', () => {
  it(`${REQUESTS} seeded requests: no 5xx, every error in its envelope`, async () => {
    const random = seededRandom(SEED);
    const requests = Array.from({ length: REQUESTS }, () => build(random, keys));
    const url = new URL(server.url);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length && failures.length < 20) {
        const i = next++;
        const req = requests[i]!;
        const answer = await send(url, req);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problem =
          answer.status >= 500 || answer.status === 0
            ? `status ${answer.status}`
            : answer.status >= 400 && req.method !== 'HEAD'
              ? envelopeProblem(req.path, answer)
              : null;
        if (problem)
          failures.push(
            `#${i} ${req.method} ${req.path.slice(0, 120)} ${JSON.stringify(req.headers).slice(0, 200)} body=${req.body?.toString('utf8').slice(0, 200) ?? ''} → ${answer.status} ${problem}: ${answer.text.slice(0, 200)}`,
          );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (process.env['FUZZ_STATS']) process.stdout.write(`${JSON.stringify([...statuses].sort())}\n`);
    expect(failures, failures.join('\n')).toEqual([]);
    // The run reached the routes, not only the auth layer.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 401, 404]));
    expect(server.logs.join('\n')).not.toContain('unhandled error');
  }, 120_000);
});
