/**
 * What an upstream answers never leaks through: a provider credential echoed in an error body
 * (in any shape, not only `sk-…`) is cut out of every client-visible error and every log line,
 * on chat, streams (before and after the first byte) and embeddings; a 3xx is never passed on
 * (redirects are not followed) but answered 502 upstream_bad_response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';
import { admin } from './support.js';

// Deliberately not shaped like any known key prefix: only exact redaction can catch it.
const CREDENTIAL = 'Zq9vX2mB7nR4tL8wK3pDq';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let upstream: Server;
let upstreamUrl: string;
let server: TestServer;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const base = mockConfig();
  server = await startTestServer({
    ...base,
    providers: [
      ...(base['providers'] as unknown[]),
      { name: 'echoing', type: 'openai', base_url: `${upstreamUrl}/v1`, api_key: CREDENTIAL, timeout_ms: 5000 },
      { name: 'echoing-claude', type: 'anthropic', base_url: upstreamUrl, api_key: CREDENTIAL, timeout_ms: 5000 },
    ],
    models: [
      ...(base['models'] as unknown[]),
      { id: 'echo-gpt', provider: 'echoing', categories: ['text'], capabilities: ['text', 'streaming', 'embeddings'] },
      { id: 'echo-claude', provider: 'echoing-claude', categories: ['text'] },
    ],
  });
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function call(path: string, body: unknown): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const chat = (model: string, stream = false) => ({ model, stream, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });

describe('a credential echoed by the upstream', () => {
  it('is cut out of chat, stream and embeddings errors, and of the logs', async () => {
    handler = (_req, res) => json(res, 400, { error: { message: `Invalid key provided: ${CREDENTIAL} (check it)`, type: 'invalid_request_error' } });
    const seen: string[] = [];
    for (const [path, body] of [
      ['/v1/chat/completions', chat('echo-gpt')],
      ['/v1/chat/completions', chat('echo-gpt', true)],
      ['/api/v1/chat/completions', chat('echo-gpt')],
      ['/v1/messages', chat('echo-gpt')],
      ['/v1/embeddings', { model: 'echo-gpt', input: 'x' }],
      ['/api/chat', { model: 'echo-gpt', messages: [{ role: 'user', content: 'hi' }] }],
    ] as const) {
      const res = await call(path, body);
      expect(res.status, path).toBe(400);
      expect(res.text, path).toContain('[redacted]');
      seen.push(res.text);
    }
    handler = (_req, res) => json(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: `x-api-key ${CREDENTIAL} is wrong` } });
    const claude = await call('/v1/chat/completions', chat('echo-claude'));
    expect(claude.status).toBe(400);
    seen.push(claude.text);
    for (const text of seen) expect(text).not.toContain(CREDENTIAL);
    expect(server.logs.join('\n')).not.toContain(CREDENTIAL);
  });

  it('is cut out of an error event that arrives mid-stream', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] })}\n\n`,
      );
      res.end(`data: ${JSON.stringify({ error: { message: `quota exceeded for ${CREDENTIAL}`, type: 'server_error' } })}\n\n`);
    };
    const res = await call('/v1/chat/completions', chat('echo-gpt', true));
    expect(res.status).toBe(200);
    expect(res.text).toContain('Hel');
    expect(res.text).toContain('[redacted]');
    expect(res.text).not.toContain(CREDENTIAL);
  });
});

describe('an upstream redirect', () => {
  it('is a 502 upstream_bad_response, never passed through nor followed', async () => {
    let hits = 0;
    handler = (req, res) => {
      hits++;
      if (req.url?.startsWith('/elsewhere')) return json(res, 200, { stolen: true });
      res.writeHead(302, { location: `${upstreamUrl}/elsewhere`, 'content-type': 'text/html' });
      res.end('<a href="/elsewhere">moved</a>');
    };
    for (const body of [chat('echo-gpt'), chat('echo-gpt', true)]) {
      hits = 0;
      const res = await call('/v1/chat/completions', body);
      expect(res.status).toBe(502);
      expect(res.headers.get('location')).toBeNull();
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'upstream_bad_response' } });
      expect(hits).toBe(1);
    }
    const claude = await call('/v1/messages', chat('echo-claude'));
    expect(claude.status).toBe(502);
    expect(JSON.parse(claude.text)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    const embed = await call('/v1/embeddings', { model: 'echo-gpt', input: 'x' });
    expect(embed.status).toBe(502);
  });
});
