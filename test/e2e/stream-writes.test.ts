/**
 * How a relayed stream reaches the client: the events decoded from one upstream read go out as
 * one HTTP chunk (not one chunk per event), and nothing waits for later upstream data — the
 * first token reaches the client while the upstream is still holding the rest back.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

const PIECES = Array.from({ length: 20 }, (_, i) => `w${i} `);

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

const USAGE = `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [], usage: { prompt_tokens: 5, completion_tokens: 20, total_tokens: 25 } })}\n\n`;

let upstream: Server;
let server: TestServer;
/** The held-back stream's continuation, called by the test once the client saw the first token. */
let releaseRest: (() => void) | null = null;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const prompt = (JSON.parse(raw) as { messages: { content: string }[] }).messages[0]?.content;
      const held = prompt === 'hold';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (prompt === 'broken') {
        // One read: two tokens, a chunk that is not JSON, then more that must never be relayed.
        res.end(
          chunk({ role: 'assistant', content: 'alpha ' }) +
            chunk({ content: 'beta ' }) +
            'data: {not json\n\n' +
            chunk({ content: 'never' }) +
            'data: [DONE]\n\n',
        );
        return;
      }
      if (held) {
        res.write(chunk({ role: 'assistant', content: 'first ' }));
        releaseRest = () => res.end(chunk({ content: 'second' }) + chunk({}, 'stop') + USAGE + 'data: [DONE]\n\n');
        return;
      }
      // The whole answer in one write: one upstream read on loopback.
      res.end(chunk({ role: 'assistant', content: '' }) + PIECES.map((p) => chunk({ content: p })).join('') + chunk({}, 'stop') + USAGE + 'data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  server = await startTestServer(
    mockConfig({
      providers: [{ name: 'up', type: 'openai', base_url: `http://127.0.0.1:${port}/v1`, api_key: 'sk-test' }],
      models: [{ id: 'up-model', provider: 'up', categories: ['text', 'code'], pricing: { input_per_1m: 1, output_per_1m: 1 } }],
      aliases: {},
      routing: { categories: { text: { policy: 'fixed', models: ['up-model'] }, code: { policy: 'fixed', models: ['up-model'] } } },
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

interface Received {
  /** HTTP chunks of the response body as they arrived (one 'data' event per chunk read). */
  readonly chunks: string[];
  readonly body: Promise<string>;
}

function streamChat(content: string, onChunk: (text: string) => void = () => {}): Promise<Received> {
  const payload = JSON.stringify({ model: 'up-model', stream: true, messages: [{ role: 'user', content }] });
  const url = new URL('/v1/chat/completions', server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' } }, (res) => {
      expect(res.statusCode).toBe(200);
      const chunks: string[] = [];
      const body = new Promise<string>((done, fail) => {
        res.on('data', (c: Buffer) => {
          chunks.push(c.toString());
          onChunk(c.toString());
        });
        res.on('end', () => done(chunks.join('')));
        res.on('error', fail);
      });
      resolve({ chunks, body });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('streamed answers on the wire', () => {
  it('writes the events of one upstream read as one chunk, all of them, in order', async () => {
    const received = await streamChat('hello');
    const body = await received.body;
    const contents = body
      .split('\n\n')
      .filter((block) => block.startsWith('data: {'))
      .map((block) => (JSON.parse(block.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '')
      .join('');
    expect(contents).toBe(PIECES.join(''));
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    // 23 SSE events; one write per event would be at least 20 chunks.
    expect(received.chunks.length).toBeLessThanOrEqual(4);
  });

  it('relays the tokens decoded before a broken chunk of the same read, then the error, and bills them', async () => {
    const received = await streamChat('broken');
    const body = await received.body;
    const events = body
      .split('\n\n')
      .filter((block) => block.startsWith('data: {'))
      .map((block) => JSON.parse(block.slice(6)) as { choices?: { delta: { content?: string } }[]; error?: { code: string } });
    const text = events.map((e) => e.choices?.[0]?.delta.content ?? '').join('');
    expect(text).toBe('alpha beta ');
    expect(events.at(-1)?.error).toMatchObject({ code: 'upstream_bad_response' });
    expect(body).not.toContain('never');
    // Billed for what was produced, and the log line says how the stream ended.
    await expect
      .poll(() =>
        server.logs
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((l) => l['route'] === '/v1/chat/completions' && l['errorCode'] === 'upstream_bad_response'),
      )
      .toMatchObject({ status: 200, outputTokens: expect.any(Number), costUsd: expect.any(Number) });
    const line = server.logs.map((l) => JSON.parse(l) as Record<string, number>).find((l) => l['errorCode'] === ('upstream_bad_response' as unknown));
    expect(line!['outputTokens']).toBeGreaterThan(0);
    expect(line!['costUsd']).toBeGreaterThan(0);
  });

  it('sends the first token before the upstream sends the rest', async () => {
    let sawFirst!: () => void;
    const first = new Promise<void>((resolve) => (sawFirst = resolve));
    const received = await streamChat('hold', (text) => {
      if (text.includes('first ')) sawFirst();
    });
    // Resolves only if the gateway wrote the first token without waiting for more upstream data.
    await first;
    expect(received.chunks.join('')).not.toContain('second');
    releaseRest!();
    const body = await received.body;
    expect(body).toContain('"content":"second"');
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});
