/**
 * Peer gateways have crashed, leaked stack traces or let requests through on odd Authorization
 * values (SQL fragments, NUL bytes, huge headers, non-ASCII). Every such value is a plain 401
 * with the documented body, in the route's envelope; nothing is echoed, nothing is logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { rawBytes, requestBytes } from './support.js';

const CHAT = JSON.stringify({ model: 'mock-fast', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
const b = (s: string, enc: BufferEncoding = 'utf8') => Buffer.from(s, enc);

/** Header values that reach the application (Node's parser accepts them). */
const JUNK: Record<string, Buffer> = {
  'sql in bearer': b("Bearer ' OR 1=1 --"),
  'sql without scheme': b("' OR '1'='1"),
  'sql after prefix': b("Bearer bkb_' OR 1=1; DROP TABLE api_keys; --"),
  'sql padded to key length': b(`Bearer bkb_${"' OR 1=1 --".padEnd(48, ' ')}`),
  'like wildcard key': b(`Bearer bkb_${'%'.repeat(48)}`),
  '10 kB of junk': b(`Bearer ${'Zx9/+'.repeat(2048)}`),
  '10 kB jwt-shaped junk': b(`Bearer ${'a'.repeat(5000)}.${'b'.repeat(5000)}.c`),
  'unicode (utf-8 bytes)': b('Bearer ключ🔑-clé-鍵'),
  'unicode lookalike of the admin key': b(`Bearer ${TEST_ADMIN_KEY.slice(0, -1)}а`),
  'latin-1 bytes': b('Bearer bkb_\u00e9\u00e8\u00ff', 'latin1'),
  'admin key with a suffix': b(`Bearer ${TEST_ADMIN_KEY}x`),
  'admin key upper-cased': b(`Bearer ${TEST_ADMIN_KEY.toUpperCase()}`),
  'admin key twice': b(`Bearer ${TEST_ADMIN_KEY} ${TEST_ADMIN_KEY}`),
  'empty bearer': b('Bearer '),
  'scheme only': b('Bearer'),
  'basic auth': b(`Basic ${Buffer.from(`admin:${TEST_ADMIN_KEY}`).toString('base64')}`),
  'dots only': b('Bearer ..'),
  'alg none jwt': b(`Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"default","scope":"admin"}').toString('base64url')}.`),
  json: b('{"key":"bkb_x","admin":true}'),
  'path traversal': b('Bearer ../../etc/passwd'),
  'template injection': b('Bearer ${SWITCHBOARD_MASTER_KEY}{{7*7}}'),
};

const ROUTES = [
  { method: 'POST', path: '/v1/chat/completions', body: CHAT, error: { message: 'Invalid or missing API key', type: 'authentication_error' } },
  { method: 'POST', path: '/v1/messages', body: CHAT, anthropic: true },
  { method: 'GET', path: '/api/admin/vault', body: '', seed: true },
  { method: 'GET', path: '/api/keys', body: '', seed: true },
];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(mockConfig());
});
afterAll(async () => server?.close());

describe('malformed credentials are a 401 and nothing else', () => {
  for (const [label, value] of Object.entries(JUNK)) {
    for (const header of ['Authorization', 'X-Api-Key']) {
      it(`${label} in ${header}`, async () => {
        for (const route of ROUTES) {
          const res = await rawBytes(server.url, requestBytes(route.method, route.path, header, value, route.body));
          expect(res.status, `${route.path}`).toBe(401);
          const body = JSON.parse(res.body) as unknown;
          if (route.seed) expect(body).toEqual({ error: 'Invalid or missing API key' });
          else if (route.anthropic) expect(body).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'Invalid or missing API key' } });
          else expect((body as { error: Record<string, unknown> }).error).toMatchObject(route.error!);
        }
      });
    }
  }

  it('NUL and control bytes are refused by the HTTP parser before any handler (400), and the server keeps serving', async () => {
    for (const value of [b(`Bearer ${TEST_ADMIN_KEY}\u0000`), b(`Bearer \u0000' OR 1=1 --`), b('Bearer bkb_\u0001\u007f')]) {
      const res = await rawBytes(server.url, requestBytes('GET', '/api/admin/vault', 'Authorization', value));
      expect([400, 401]).toContain(res.status);
      expect(res.raw).not.toContain('bkb_');
    }
    const ok = await fetch(`${server.url}/v1/models`, { headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    expect(ok.status).toBe(200);
  });

  it('NUL bytes that do reach an auth scheme (e.g. behind a lenient proxy) are rejected too', async () => {
    for (const { authenticator } of server.gateway.runtime().authenticators) {
      for (const value of [
        `Bearer ${TEST_ADMIN_KEY}\u0000`,
        `Bearer bkb_${'\u0000'.repeat(48)}`,
        `Bearer ${TEST_ADMIN_KEY.slice(0, 20)}\u0000${TEST_ADMIN_KEY.slice(20)}`,
      ]) {
        for (const headers of [{ authorization: value }, { 'x-api-key': value.slice(7) }]) {
          let outcome: unknown;
          try {
            outcome = await authenticator.authenticate({ headers, ip: '127.0.0.1' });
          } catch (err) {
            outcome = err;
          }
          if (outcome !== null) expect(outcome instanceof GatewayError && outcome.code === 'auth_invalid').toBe(true);
        }
      }
    }
  });

  it('a duplicated Authorization header does not authenticate on the strength of either copy', async () => {
    const raw = Buffer.from(
      `GET /api/admin/vault HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer junk\r\nAuthorization: Bearer ${TEST_ADMIN_KEY}\r\n\r\n`,
    );
    const res = await rawBytes(server.url, raw);
    expect([400, 401]).toContain(res.status);
  });

  it('logs none of the junk', () => {
    const logs = server.logs.join('\n');
    expect(logs).not.toContain('OR 1=1');
    expect(logs).not.toContain('Zx9/+Zx9/+');
    expect(logs).not.toContain(TEST_ADMIN_KEY);
  });
});

describe('with the jwt scheme enabled as well', () => {
  let both: TestServer;
  beforeAll(async () => {
    both = await startTestServer(
      mockConfig({ auth: { admin_keys: [TEST_ADMIN_KEY], schemes: ['api-key', { type: 'jwt', secret: 'a-shared-secret-of-at-least-32-bytes!!' }] } }),
    );
  });
  afterAll(async () => both?.close());

  it('every junk value is still a 401 whose message echoes nothing', async () => {
    for (const [label, value] of Object.entries(JUNK)) {
      const res = await rawBytes(both.url, requestBytes('GET', '/api/admin/vault', 'Authorization', value));
      expect(res.status, label).toBe(401);
      const { error } = JSON.parse(res.body) as { error: string };
      expect(error, label).toMatch(/^(Invalid or missing API key|JWT [a-z ]+)$/);
    }
  });
});
