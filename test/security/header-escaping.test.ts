/**
 * Client text that ends up in a response header (here: a tool name quoted in a provider warning)
 * is escaped, never thrown from setHeader. Before the fix a non-Latin-1 or control character in
 * a tool name broke the stream after it had opened: the reservation leaked (the account's other
 * keys got 402 until a restart), nothing was billed and the upstream call was never aborted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';
import { admin } from './support.js';

let upstream: FakeAnthropic;
let server: TestServer;

async function post(path: string, key: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function keyFor(account: string): Promise<string> {
  const res = await post('/api/keys', admin.Authorization.slice(7), { name: 'k', account });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

beforeAll(async () => {
  upstream = await startFakeAnthropic();
  const base = mockConfig();
  server = await startTestServer({
    ...base,
    providers: [...(base['providers'] as unknown[]), { name: 'claude', type: 'anthropic', base_url: upstream.url, api_key: 'sk-ant-test-credential-1234' }],
    models: [
      ...(base['models'] as unknown[]),
      { id: 'claude-fake', provider: 'claude', categories: ['text'], pricing: { input_per_1m: 3, output_per_1m: 15 } },
    ],
  });
});
afterAll(async () => {
  await server?.close();
  await upstream?.close();
});

const WEIRD = 'lookup_\u20ac\u00fc\u0001\u4e2d\r\nX-Injected: 1';

function chatWithWeirdToolCall(stream: boolean) {
  return {
    model: 'claude-fake',
    stream,
    max_tokens: 1000,
    messages: [
      { role: 'user', content: 'call the tool' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: WEIRD, arguments: 'not json' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '42' },
      { role: 'user', content: 'thanks' },
    ],
  };
}

describe('client text in response headers', () => {
  it('a streamed answer with a weird tool name is normal, billed, and leaves nothing reserved', async () => {
    const created = await post('/api/admin/accounts', admin.Authorization.slice(7), { name: 'acme' });
    const { id: account } = (await created.json()) as { id: string };
    // Room for one reservation of max_tokens 1000 at $15/1M output (~$0.0154), not two.
    const granted = await post(`/api/admin/accounts/${account}/credits`, admin.Authorization.slice(7), { amount: 0.02 });
    expect(granted.status).toBe(200);
    const first = await keyFor(account);
    const second = await keyFor(account);

    const res = await post('/v1/chat/completions', first, chatWithWeirdToolCall(true));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('data: [DONE]');
    const warning = res.headers.get('x-switchboard-warnings') ?? '';
    expect(warning).toMatch(/^[\x20-\x7e]*$/);
    expect(decodeURIComponent(warning)).toContain('lookup_\u20ac\u00fc');
    expect(res.headers.get('x-injected')).toBeNull();

    // The other key of the account can spend: nothing of the first request is still held.
    const other = await post('/v1/chat/completions', second, { model: 'claude-fake', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] });
    expect(other.status).toBe(200);

    const history = await fetch(`${server.url}/api/usage/history`, { headers: { authorization: `Bearer ${second}` } });
    const { transactions } = (await history.json()) as { transactions: { type: string; amount: number }[] };
    expect(transactions.filter((t) => t.type === 'usage')).toHaveLength(2);
    expect(transactions.filter((t) => t.type === 'usage').every((t) => t.amount < 0)).toBe(true);
  });

  it('the non-streamed answer escapes the header the same way', async () => {
    const res = await post('/v1/chat/completions', admin.Authorization.slice(7), chatWithWeirdToolCall(false));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchboard-warnings') ?? '').toMatch(/^[\x20-\x7e]+$/);
  });
});
