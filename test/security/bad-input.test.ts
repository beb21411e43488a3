/**
 * Bad input is a clear 4xx in the route's envelope, never a 5xx nor a default: a form-encoded
 * POST /api/keys used to create a key (the body read as {}), `/api/keys/%ZZ` and a body shorter
 * than its Content-Length were 500s, and deeply nested tool arguments overflowed the stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';
import { admin, rawBytes, rawRequest } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(mockConfig());
});
afterAll(async () => server?.close());

async function keyCount(): Promise<number> {
  const res = await fetch(`${server.url}/api/keys?limit=100`, { headers: admin });
  return ((await res.json()) as { keys: unknown[] }).keys.length;
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('a body that is not JSON', () => {
  it('is a 415 on every JSON route, in its envelope, and creates nothing', async () => {
    const before = await keyCount();
    const form = await rawRequest(server.url, 'POST', '/api/keys', { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, 'name=csrf&scopes=admin');
    expect(form.status).toBe(415);
    expect(JSON.parse(form.body)).toEqual({ error: expect.stringContaining('application/json') });
    const plain = await rawRequest(server.url, 'POST', '/api/keys', { ...admin, 'content-type': 'text/plain' }, '{"name":"x"}');
    expect(plain.status).toBe(415);
    const none = await rawRequest(server.url, 'POST', '/api/keys', { ...admin }, '{"name":"x"}');
    expect(none.status).toBe(415);
    expect(await keyCount()).toBe(before);

    const openai = await rawRequest(server.url, 'POST', '/v1/chat/completions', { ...admin, 'content-type': 'text/plain' }, 'hi');
    expect(openai.status).toBe(415);
    expect(JSON.parse(openai.body)).toMatchObject({ error: { type: 'invalid_request_error', code: 'unsupported_media' } });
    const anthropic = await rawRequest(server.url, 'POST', '/v1/messages', { ...admin, 'content-type': 'multipart/form-data; boundary=x' }, '--x--');
    expect(anthropic.status).toBe(415);
    expect(JSON.parse(anthropic.body)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('application/*+json is JSON', async () => {
    const res = await rawRequest(server.url, 'POST', '/api/keys', { ...admin, 'content-type': 'application/vnd.api+json' }, '{"name":"plus-json"}');
    expect(res.status).toBe(201);
  });
});

describe('malformed requests', () => {
  it('a malformed percent-encoded path is a 400', async () => {
    for (const path of ['/api/keys/%ZZ', '/api/keys/%E0%A4%A', '/api/v1/keys/%ZZ']) {
      const res = await rawRequest(server.url, 'GET', path, admin);
      expect(res.status, path).toBe(400);
    }
    const seed = await rawRequest(server.url, 'DELETE', '/api/keys/%ZZ', admin);
    expect(JSON.parse(seed.body)).toEqual({ error: expect.stringContaining('percent-encoding') });
  });

  it('a body shorter than its Content-Length is a 4xx, never a 500', async () => {
    const head = `POST /api/keys HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${admin.Authorization}\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n`;
    const res = await rawBytes(server.url, Buffer.from(`${head}{"name":"x"}`));
    expect(res.status === 0 || (res.status >= 400 && res.status < 500)).toBe(true);
    expect(server.logs.join('\n')).not.toContain('unhandled error');
  });
});

describe('deeply nested JSON', () => {
  it('in a body is a 400 before anything walks it', async () => {
    const body = `{"model":"mock-fast","messages":[{"role":"user","content":"hi"}],"metadata":${nested(20000)}}`;
    const res = await rawRequest(server.url, 'POST', '/v1/chat/completions', { ...admin, 'content-type': 'application/json' }, body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'request_invalid' } });
    const anthropic = JSON.stringify({
      model: 'mock-fast',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
    }).replace('"x"', `[{"type":"tool_result","tool_use_id":"t","content":"x"},{"type":"text","text":"y","extra":${nested(5000)}}]`);
    const a = await rawRequest(server.url, 'POST', '/v1/messages', { ...admin, 'content-type': 'application/json' }, anthropic);
    expect(a.status).toBe(400);
  });

  it('in tool-call arguments (a JSON string) is a 400 naming the field', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'mock-fast',
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: `{"a":${nested(50000)}}` } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'ok' },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('arguments');
  });
});
