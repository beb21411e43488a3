import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatRequest, StreamEvent } from '../../../src/formats/canonical.js';
import type { CallContext, PluginContext } from '../../../src/plugins/types.js';
import { createHttpClient } from '../../../src/upstream/http-client.js';
import { FAKE_DEFAULT_TEXT, startFakeOpenAI, type FakeOpenAI } from '../../../test/helpers/fake-openai.js';
import plugin, { type OpenAIOptions } from './index.js';

const http = createHttpClient();
const noop = (): void => {};
const secrets = new Map<string, string>([['vault:openai', 'sk-test-1']]);
const ctx: PluginContext = {
  logger: { debug: noop, info: noop, warn: noop, error: noop },
  clock: Date.now,
  random: Math.random,
  http,
  secrets: { resolve: (r) => (r === undefined ? undefined : (secrets.get(r) ?? r)) },
  keyring: {
    verify() {
      throw new Error('not used');
    },
  },
};
const call = (): CallContext => ({ signal: new AbortController().signal, requestId: 'req-1' });
const req: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 50, stream: false };

function options(partial: Partial<OpenAIOptions>): OpenAIOptions {
  // Apply the schema's defaults the way the loader does.
  const ajv = new Ajv({ useDefaults: true, strict: true });
  const opts: Record<string, unknown> = { ...partial };
  if (!ajv.validate(plugin.optionsSchema, opts)) throw new Error(ajv.errorsText());
  return opts as unknown as OpenAIOptions;
}

async function collect(it: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const ev of it) out.push(ev);
  return out;
}

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
  await http.close();
});
beforeEach(() => {
  fake.setBehaviour({ kind: 'ok' });
  fake.requests.length = 0;
});

describe('openai plugin definition', () => {
  it('has defaults and rejects unknown keys', () => {
    expect(options({})).toEqual({ base_url: 'https://api.openai.com/v1', timeout_ms: 60000, stream_usage: true, max_tokens_field: 'max_tokens' });
    expect(() => options({ max_tokens_field: 'max_output_tokens' as OpenAIOptions['max_tokens_field'] })).toThrow();
    expect(() => options({ nope: 1 } as Partial<OpenAIOptions>)).toThrow();
    expect(() => options({ timeout_ms: 0 })).toThrow();
    expect(plugin).toMatchObject({ apiVersion: 1, kind: 'provider', name: 'openai' });
  });
});

describe('openai provider over HTTP', () => {
  it('chat: posts to /chat/completions with the resolved key and extra headers', async () => {
    const p = await plugin.create(options({ base_url: `${fake.url}/`, api_key: 'vault:openai', headers: { 'X-Extra': 'yes' } }), ctx);
    const result = await p.chat(req, call());
    expect(result.content).toEqual([{ type: 'text', text: FAKE_DEFAULT_TEXT }]);
    expect(result.finishReason.unified).toBe('stop');
    expect(result.usage?.outputTokens).toBeGreaterThan(0);
    const sent = fake.requests[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers['authorization']).toBe('Bearer sk-test-1');
    expect(sent?.headers['x-extra']).toBe('yes');
    expect(sent?.body).toMatchObject({ model: 'gpt-4o', max_tokens: 50, stream: false });
  });

  it('sends the token limit as max_completion_tokens when max_tokens_field says so (o-series, GPT-5)', async () => {
    const p = await plugin.create(options({ base_url: fake.url, max_tokens_field: 'max_completion_tokens' }), ctx);
    await p.chat(req, call());
    await collect(p.stream({ ...req, stream: true }, call()));
    for (const sent of fake.requests) {
      expect(sent.body).toMatchObject({ max_completion_tokens: 50 });
      expect(sent.body).not.toHaveProperty('max_tokens');
    }
    expect(fake.requests).toHaveLength(2);
  });

  it('resolves the key on every call (vault updates apply without restart) and omits it when undefined', async () => {
    const p = await plugin.create(options({ base_url: fake.url, api_key: 'vault:openai' }), ctx);
    await p.chat(req, call());
    secrets.set('vault:openai', 'sk-test-2');
    await p.chat(req, call());
    expect(fake.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer sk-test-1', 'Bearer sk-test-2']);
    expect(p.passthroughTarget?.()).toEqual({ baseUrl: fake.url, headers: { authorization: 'Bearer sk-test-2' } });
    const anon = await plugin.create(options({ base_url: fake.url }), ctx);
    await anon.chat(req, call());
    expect(fake.requests[2]?.headers['authorization']).toBeUndefined();
  });

  it('stream: yields decoded events with usage', async () => {
    const p = await plugin.create(options({ base_url: fake.url }), ctx);
    const events = await collect(p.stream({ ...req, stream: true }, call()));
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-fake' });
    expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('')).toBe(FAKE_DEFAULT_TEXT);
    const last = events.at(-1);
    expect(last?.type).toBe('finish');
    expect(last?.type === 'finish' && last.usage !== null && last.usage.inputTokens > 0).toBe(true);
    expect(fake.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('stream: tool calls', async () => {
    fake.setBehaviour({ kind: 'ok', toolCall: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    const p = await plugin.create(options({ base_url: fake.url, stream_usage: false }), ctx);
    const events = await collect(p.stream({ ...req, stream: true, tools: [{ name: 'get_weather', parameters: { type: 'object' } }] }, call()));
    expect(events.filter((e) => e.type !== 'tool-call-delta')).toEqual([
      { type: 'start', id: 'chatcmpl-fake' },
      { type: 'tool-call-start', index: 0, id: 'call_fake_0', name: 'get_weather' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: null },
    ]);
    expect(events.flatMap((e) => (e.type === 'tool-call-delta' ? [e.argumentsDelta] : [])).join('')).toBe('{"city":"Paris"}');
    expect(fake.requests[0]?.body).not.toHaveProperty('stream_options');
  });

  it('stream: sends nothing until the first next()', async () => {
    const p = await plugin.create(options({ base_url: fake.url }), ctx);
    const it = p.stream({ ...req, stream: true }, call())[Symbol.asyncIterator]();
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.requests).toHaveLength(0);
    await it.next();
    expect(fake.requests).toHaveLength(1);
    await it.return?.();
  });

  it.each([
    [
      { kind: 'status', status: 429, body: { error: { message: 'Slow down', type: 'requests', code: 'rate_limit_exceeded' } } } as const,
      'upstream_rate_limited',
      'Slow down',
    ],
    [{ kind: 'status', status: 500 } as const, 'upstream_unavailable', 'Fake upstream failure (HTTP 500)'],
    [{ kind: 'status', status: 400, body: { error: { message: 'ctx', code: 'context_length_exceeded' } } } as const, 'context_length_exceeded', 'ctx'],
    [{ kind: 'reset' } as const, 'upstream_unavailable', undefined],
  ])('maps %j to %s in chat and before the first stream event', async (behaviour, code, message) => {
    fake.setBehaviour(behaviour);
    const p = await plugin.create(options({ base_url: fake.url }), ctx);
    const expected = expect.objectContaining({ code, provider: 'openai', ...(message !== undefined ? { message } : {}) });
    await expect(p.chat(req, call())).rejects.toEqual(expected);
    await expect(collect(p.stream({ ...req, stream: true }, call()))).rejects.toEqual(expected);
  });

  it('times out a hanging upstream', async () => {
    fake.setBehaviour({ kind: 'hang' });
    const p = await plugin.create(options({ base_url: fake.url, timeout_ms: 150 }), ctx);
    await expect(p.chat(req, call())).rejects.toMatchObject({ code: 'upstream_timeout' });
    await expect(collect(p.stream({ ...req, stream: true }, call()))).rejects.toMatchObject({ code: 'upstream_timeout' });
  });

  it('connection refused → upstream_unavailable', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const p = await plugin.create(options({ base_url: `http://127.0.0.1:${port}/v1` }), ctx);
    await expect(p.chat(req, call())).rejects.toMatchObject({ code: 'upstream_unavailable', retryable: true });
  });

  it('relays a JSON answer from a server that ignored stream: true', async () => {
    const server = createServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', choices: [{ message: { content: 'whole' }, finish_reason: 'stop' }] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const p = await plugin.create(options({ base_url: `http://127.0.0.1:${port}/v1` }), ctx);
      expect(await collect(p.stream({ ...req, stream: true }, call()))).toEqual([
        { type: 'start', id: 'x' },
        { type: 'text-delta', text: 'whole' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: null },
      ]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
