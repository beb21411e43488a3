import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import type { ChatRequest, StreamEvent } from '../../../src/formats/canonical.js';
import { GatewayError } from '../../../src/errors.js';
import type { PluginContext, Provider } from '../../../src/plugins/types.js';
import { createHttpClient, type HttpClient } from '../../../src/upstream/http-client.js';
import { startFakeGemini, type FakeGemini } from '../../../test/helpers/fake-gemini.js';
import plugin, { type GeminiOptions } from './index.js';

const noop = (): void => undefined;
let http: HttpClient;
let fake: FakeGemini;
const call = () => ({ signal: new AbortController().signal, requestId: 'req-1' });
const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gemini-2.0-flash',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  maxTokens: 64,
  stream: false,
  ...over,
});

function ctx(resolve: (ref: string | undefined) => string | undefined = (r) => r): PluginContext {
  return {
    logger: { debug: noop, info: noop, warn: noop, error: noop },
    clock: Date.now,
    random: Math.random,
    http,
    secrets: { resolve },
    keyring: {
      verify() {
        throw new Error('not used');
      },
    },
  };
}

async function provider(options: Partial<GeminiOptions> = {}, c: PluginContext = ctx()): Promise<Provider> {
  return plugin.create({ base_url: fake.url, api_key: 'test-key', timeout_ms: 2000, ...options }, c);
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  http = createHttpClient();
  fake = await startFakeGemini({ apiKey: 'test-key' });
});
afterEach(() => {
  fake.setBehaviour({ kind: 'ok' });
  fake.requests.length = 0;
});
afterAll(async () => {
  await fake.close();
  await http.close();
});

describe('gemini plugin definition', () => {
  it('validates options with defaults and rejects unknown keys', () => {
    const validate = new Ajv({ useDefaults: true }).compile(plugin.optionsSchema);
    const options: Record<string, unknown> = {};
    expect(validate(options)).toBe(true);
    expect(options).toEqual({ base_url: 'https://generativelanguage.googleapis.com/v1beta', timeout_ms: 60000 });
    expect(validate({ base_url: 'x', timeout_ms: 1, extra: true })).toBe(false);
    expect(validate({ base_url: 'x', timeout_ms: 0 })).toBe(false);
    expect(validate({ base_url: 'x', timeout_ms: 1.5 })).toBe(false);
    expect(plugin).toMatchObject({ apiVersion: 1, kind: 'provider', name: 'gemini' });
  });
});

describe('gemini provider against a fake Gemini on 127.0.0.1', () => {
  it('chat: posts generateContent with the key in a header, never in the URL', async () => {
    const p = await provider({ headers: { 'x-team': 'blue' } });
    expect(p.name).toBe('gemini');
    expect(p.capabilities).toEqual({ streaming: true, tools: true, images: true });
    const result = await p.chat(req({ temperature: 0.3 }), call());
    expect(result).toMatchObject({
      id: 'fake-response-1',
      content: [{ type: 'text', text: 'Hello from fake Gemini.' }],
      finishReason: { unified: 'stop', raw: 'STOP' },
      usage: { inputTokens: 12, outputTokens: 4 },
    });
    const [recorded] = fake.requests;
    expect(recorded?.method).toBe('POST');
    expect(recorded?.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(recorded?.headers['x-goog-api-key']).toBe('test-key');
    expect(recorded?.headers['x-team']).toBe('blue');
    expect(recorded?.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig: { temperature: 0.3, maxOutputTokens: 64 },
    });
  });

  it('chat: decodes a function call', async () => {
    fake.setBehaviour({ kind: 'ok', toolCall: { name: 'get_weather', args: { city: 'Paris' } } });
    const result = await (await provider()).chat(req(), call());
    expect(result.content).toEqual([{ type: 'tool-call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(result.finishReason.unified).toBe('tool-calls');
  });

  it('resolves the credential on every call', async () => {
    let key = 'test-key';
    const p = await provider(
      { api_key: 'vault:gemini' },
      ctx(() => key),
    );
    await p.chat(req(), call());
    key = 'rotated-key';
    const err = await failure(p.chat(req(), call()));
    expect(err.code).toBe('upstream_error');
    expect(err.message).not.toContain('rotated-key');
    expect(fake.requests.map((r) => r.headers['x-goog-api-key'])).toEqual(['test-key', 'rotated-key']);
  });

  it('strips a models/ prefix and rejects model names that would steer the path', async () => {
    const p = await provider();
    await p.chat(req({ model: 'models/gemini-2.5-flash' }), call());
    expect(fake.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    for (const model of ['../../admin', 'tunedModels/x', 'a..b', '']) {
      expect((await failure(p.chat(req({ model }), call()))).code).toBe('request_invalid');
    }
    expect(fake.requests).toHaveLength(1);
  });

  it('stream: lazy, posts streamGenerateContent?alt=sse and yields events chunk by chunk', async () => {
    const p = await provider();
    const events = p.stream(req({ stream: true }), call());
    expect(fake.requests).toHaveLength(0);
    const out = await collect(events);
    expect(fake.requests[0]?.path).toBe('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
    expect(out[0]).toEqual({ type: 'start', id: 'fake-response-1' });
    expect(out.filter((e) => e.type === 'text-delta')).toHaveLength(3);
    const text = out.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');
    expect(text).toBe('Hello from fake Gemini.');
    expect(out.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'stop', raw: 'STOP' }, usage: { inputTokens: 12, outputTokens: 4 } });
  });

  it('stream: a function call', async () => {
    fake.setBehaviour({ kind: 'ok', toolCall: { name: 'lookup', args: { q: 'x' } } });
    const out = await collect((await provider()).stream(req({ stream: true }), call()));
    expect(out.map((e) => e.type)).toEqual(['start', 'tool-call-start', 'tool-call-delta', 'tool-call-end', 'finish']);
  });

  it('429 → upstream_rate_limited, before any stream event', async () => {
    fake.setBehaviour({ kind: 'status', status: 429 });
    const p = await provider();
    expect((await failure(p.chat(req(), call()))).code).toBe('upstream_rate_limited');
    const iterator = p.stream(req({ stream: true }), call())[Symbol.asyncIterator]();
    const err = await failure(iterator.next());
    expect(err.code).toBe('upstream_rate_limited');
    expect(err.retryable).toBe(true);
  });

  it('500 → upstream_unavailable', async () => {
    fake.setBehaviour({ kind: 'status', status: 500 });
    const err = await failure((await provider()).chat(req(), call()));
    expect(err).toMatchObject({ code: 'upstream_unavailable', status: 500, message: 'Fake error 500' });
  });

  it('a non-JSON 200 → upstream_bad_response', async () => {
    fake.setBehaviour({ kind: 'status', status: 200, body: 'not json' });
    expect((await failure((await provider()).chat(req(), call()))).code).toBe('upstream_bad_response');
  });

  it('hang → upstream_timeout after timeout_ms', async () => {
    fake.setBehaviour({ kind: 'hang' });
    const p = await provider({ timeout_ms: 150 });
    const started = Date.now();
    expect((await failure(p.chat(req(), call()))).code).toBe('upstream_timeout');
    expect((await failure(collect(p.stream(req({ stream: true }), call())))).code).toBe('upstream_timeout');
    // undici's timers tick at ~1s granularity, so a 150 ms timeout fires within about a second.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('an aborted call is not reported as an upstream failure', async () => {
    fake.setBehaviour({ kind: 'hang' });
    const controller = new AbortController();
    const pending = (await provider()).chat(req(), { signal: controller.signal, requestId: 'r' });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.not.toBeInstanceOf(GatewayError);
  });

  it('delay within the timeout still answers', async () => {
    fake.setBehaviour({ kind: 'delay', ms: 50 });
    expect((await (await provider()).chat(req(), call())).finishReason.unified).toBe('stop');
  });

  it('connection reset → upstream_unavailable', async () => {
    fake.setBehaviour({ kind: 'reset' });
    expect((await failure((await provider()).chat(req(), call()))).code).toBe('upstream_unavailable');
  });

  it('connection refused → upstream_unavailable', async () => {
    const port = await freePort();
    const p = await provider({ base_url: `http://127.0.0.1:${port}/v1beta` });
    expect((await failure(p.chat(req(), call()))).code).toBe('upstream_unavailable');
    expect((await failure(collect(p.stream(req({ stream: true }), call())))).code).toBe('upstream_unavailable');
  });

  it('passthroughTarget points at the OpenAI-compatible surface with a bearer key', async () => {
    const target = (await provider()).passthroughTarget?.();
    expect(target).toEqual({ baseUrl: `${fake.url}/openai`, headers: { authorization: 'Bearer test-key' } });
  });
});

/** A port nothing listens on: bind, read it, close. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
