import { Ajv } from 'ajv';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import type { ChatRequest, StreamEvent } from '../../../src/formats/canonical.js';
import type { PluginContext, Provider } from '../../../src/plugins/types.js';
import { createHttpClient } from '../../../src/upstream/http-client.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../../test/helpers/fake-anthropic.js';
import plugin, { type AnthropicOptions } from './index.js';

const noop = () => undefined;
const http = createHttpClient();
const ctx: PluginContext = {
  logger: { debug: noop, info: noop, warn: noop, error: noop },
  clock: Date.now,
  random: Math.random,
  http,
  secrets: { resolve: (r) => r },
  keyring: {
    verify() {
      throw new Error('not used');
    },
  },
};
const call = () => ({ signal: new AbortController().signal, requestId: 'req-1' });
const request: ChatRequest = {
  model: 'claude-test',
  maxTokens: 64,
  stream: false,
  temperature: 0.2,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Hi there' }] },
  ],
};

async function provider(options: Partial<AnthropicOptions> = {}): Promise<Provider> {
  return plugin.create({ base_url: fake.url, anthropic_version: '2023-06-01', timeout_ms: 2000, api_key: 'test-key', ...options }, ctx);
}

async function collect(it: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const ev of it) out.push(ev);
  return out;
}

async function caught(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
  await http.close();
});
beforeEach(() => {
  fake.setBehaviour({ kind: 'ok' });
  fake.requests.length = 0;
});

describe('anthropic options schema', () => {
  it('applies defaults and rejects bad options', () => {
    const validate = new Ajv({ useDefaults: true, strict: true }).compile(plugin.optionsSchema);
    const options: Record<string, unknown> = {};
    expect(validate(options)).toBe(true);
    expect(options).toEqual({ base_url: 'https://api.anthropic.com', anthropic_version: '2023-06-01', timeout_ms: 60000 });
    expect(validate({ timeout_ms: 0 })).toBe(false);
    expect(validate({ bogus: 1 })).toBe(false);
    expect(validate({ headers: { 'x-a': 1 } })).toBe(false);
  });
});

describe('anthropic provider over HTTP', () => {
  it('declares itself', async () => {
    const p = await provider();
    expect(p.name).toBe('anthropic');
    expect(p.capabilities).toEqual({ streaming: true, tools: true, images: true, nativeFormat: 'anthropic' });
  });

  it('chat(): sends the Anthropic request with headers and decodes the answer', async () => {
    fake.setBehaviour({ kind: 'ok', text: 'Hello you' });
    const p = await provider({ headers: { 'anthropic-beta': 'x-1' } });
    const result = await p.chat(request, call());
    expect(result.content).toEqual([{ type: 'text', text: 'Hello you' }]);
    expect(result.finishReason.unified).toBe('stop');
    expect(result.usage?.outputTokens).toBe(2);
    const rec = fake.requests[0];
    expect(rec?.path).toBe('/v1/messages');
    expect(rec?.headers['x-api-key']).toBe('test-key');
    expect(rec?.headers['anthropic-version']).toBe('2023-06-01');
    expect(rec?.headers['anthropic-beta']).toBe('x-1');
    expect(rec?.body).toMatchObject({ model: 'claude-test', max_tokens: 64, system: 'Be brief.', stream: false, temperature: 0.2 });
  });

  it('resolves the credential on every call', async () => {
    let secret = 'one';
    const p = await plugin.create(
      { base_url: `${fake.url}/`, anthropic_version: '2023-06-01', timeout_ms: 2000, api_key: 'vault:a' },
      { ...ctx, secrets: { resolve: (r) => (r === 'vault:a' ? secret : undefined) } },
    );
    await p.chat(request, call());
    secret = 'two';
    await p.chat(request, call());
    expect(fake.requests.map((r) => r.headers['x-api-key'])).toEqual(['one', 'two']);
  });

  it('chat(): returns encoding warnings', async () => {
    const p = await provider();
    const result = await p.chat({ ...request, temperature: 1.5 }, call());
    expect(result.warnings?.[0]).toContain('clamped');
  });

  it('stream(): is lazy and yields text and tool calls', async () => {
    fake.setBehaviour({ kind: 'ok', text: 'Let me look.', toolCall: { name: 'lookup', input: { q: 'weather in Paris', n: 3 } } });
    const p = await provider();
    const iterable = p.stream({ ...request, stream: true }, call());
    expect(fake.requests).toHaveLength(0);
    const events = await collect(iterable);
    expect(fake.requests[0]?.body).toMatchObject({ stream: true });
    expect(fake.requests[0]?.headers['accept']).toBe('text/event-stream');
    expect(events[0]).toMatchObject({ type: 'start' });
    expect(
      events
        .filter((e) => e.type === 'text-delta')
        .map((e) => (e.type === 'text-delta' ? e.text : ''))
        .join(''),
    ).toBe('Let me look.');
    const args = events.map((e) => (e.type === 'tool-call-delta' ? e.argumentsDelta : '')).join('');
    expect(JSON.parse(args)).toEqual({ q: 'weather in Paris', n: 3 });
    expect(events.find((e) => e.type === 'tool-call-start')).toMatchObject({ index: 0, name: 'lookup' });
    expect(events[events.length - 1]).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' } });
  });

  it.each([
    [429, 'upstream_rate_limited', true],
    [529, 'upstream_unavailable', true],
    [400, 'upstream_error', false],
  ])('HTTP %i → %s, for chat and before the first stream event', async (status, code, retryable) => {
    fake.setBehaviour({ kind: 'status', status });
    const p = await provider();
    const e1 = await caught(p.chat(request, call()));
    expect([e1.code, e1.retryable]).toEqual([code, retryable]);
    const e2 = await caught(collect(p.stream({ ...request, stream: true }, call())));
    expect(e2.code).toBe(code);
    expect(e1.message).not.toContain('test-key');
  });

  it('maps "prompt is too long" to context_length_exceeded', async () => {
    fake.setBehaviour({
      kind: 'status',
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 300000 tokens > 200000 maximum' } },
    });
    const p = await provider();
    expect((await caught(p.chat(request, call()))).code).toBe('context_length_exceeded');
  });

  it('a hanging upstream times out', async () => {
    fake.setBehaviour({ kind: 'hang' });
    const p = await provider({ timeout_ms: 150 });
    expect((await caught(p.chat(request, call()))).code).toBe('upstream_timeout');
    expect((await caught(collect(p.stream({ ...request, stream: true }, call())))).code).toBe('upstream_timeout');
  });

  it('a slow upstream within the timeout answers normally', async () => {
    fake.setBehaviour({ kind: 'delay', ms: 50 });
    const p = await provider();
    expect((await p.chat(request, call())).finishReason.unified).toBe('stop');
  });

  it('an abort by the caller is passed through, not classified', async () => {
    fake.setBehaviour({ kind: 'hang' });
    const p = await provider();
    const controller = new AbortController();
    const pending = p.chat(request, { signal: controller.signal, requestId: 'r' });
    setTimeout(() => controller.abort(), 30);
    const err: unknown = await pending.catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(GatewayError);
  });

  it('a reset connection is upstream_unavailable', async () => {
    fake.setBehaviour({ kind: 'reset' });
    const p = await provider();
    expect((await caught(p.chat(request, call()))).code).toBe('upstream_unavailable');
  });

  it('a refused connection is upstream_unavailable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const p = await provider({ base_url: `http://127.0.0.1:${port}` });
    const err = await caught(p.chat(request, call()));
    expect(err.code).toBe('upstream_unavailable');
    expect(err.retryable).toBe(true);
  });

  it('a body that is not JSON is upstream_bad_response', async () => {
    fake.setBehaviour({ kind: 'status', status: 200, body: 'not json' });
    const p = await provider();
    expect((await caught(p.chat(request, call()))).code).toBe('upstream_bad_response');
  });
});
