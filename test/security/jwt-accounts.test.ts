/**
 * A JWT maps only to an account that exists (a made-up id used to be a 500 FOREIGN KEY on the
 * first charge) and never to an unmetered account (the operator's `default`, free of charge)
 * unless the scheme says `allow_unmetered: true`; `keys` is not among the default allowed scopes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHs256 } from '../helpers/jwt.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { grantCredits } from './support.js';

const SECRET = 'jwt-accounts-test-secret-of-32-bytes-or-more';
const now = () => Math.floor(Date.now() / 1000);
const token = (claims: Record<string, unknown>, secret = SECRET) => signHs256({ exp: now() + 300, ...claims }, secret);

let server: TestServer;
let account: string;

beforeAll(async () => {
  server = await startTestServer(
    mockConfig({
      auth: {
        admin_keys: [TEST_ADMIN_KEY],
        // The instance with an issuer first: one without takes every token it sees.
        schemes: ['api-key', { type: 'jwt', secret: `${SECRET}-ops`, issuer: 'https://ops.test', allow_unmetered: true }, { type: 'jwt', secret: SECRET }],
      },
    }),
  );
  const created = await fetch(`${server.url}/api/admin/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'team' }),
  });
  account = ((await created.json()) as { id: string }).id;
  await grantCredits(server.url, account, 5);
});
afterAll(async () => server?.close());

const chat = (jwt: string) =>
  fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-fast', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] }),
  });

describe('the account a JWT names', () => {
  it('an existing metered account works and is billed', async () => {
    const res = await chat(token({ sub: account }));
    expect(res.status).toBe(200);
    const summary = await fetch(`${server.url}/api/usage/summary`, { headers: { authorization: `Bearer ${token({ sub: account })}` } });
    expect(((await summary.json()) as { credits: number }).credits).toBeLessThan(5);
  });

  it('an account that does not exist is a 401, never a 500', async () => {
    const res = await chat(token({ sub: 'no-such-account' }));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('JWT names an account that does not exist');
    expect(server.logs.join('\n')).not.toContain('unhandled error');
  });

  it('the unmetered default account is a 401 unless the scheme allows it', async () => {
    const res = await chat(token({ sub: 'default', scope: 'chat read' }));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('unmetered');
    expect((await chat(token({ sub: 'default', iss: 'https://ops.test' }, `${SECRET}-ops`))).status).toBe(200);
  });

  it('a token cannot take the keys scope by default', async () => {
    const res = await fetch(`${server.url}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token({ sub: account, scope: 'chat read keys' })}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'minted' }),
    });
    expect(res.status).toBe(403);
  });
});
