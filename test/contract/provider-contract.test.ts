/**
 * The contract every HTTP provider plugin must meet, run against each one with its fake upstream:
 * canonical results, lazy streams ending in `finish`, the error taxonomy the fallback loop relies on,
 * and credentials resolved at call time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import type { ChatRequest, StreamEvent } from '../../src/formats/canonical.js';
import { createLogger } from '../../src/logging/logger.js';
import type { AnyPlugin, PluginContext, Provider } from '../../src/plugins/types.js';
import { validatePluginOptions } from '../../src/plugins/options.js';
import { createHttpClient } from '../../src/upstream/http-client.js';
import anthropicPlugin from '../../plugins/providers/anthropic/index.js';
import geminiPlugin from '../../plugins/providers/gemini/index.js';
import openaiPlugin from '../../plugins/providers/openai/index.js';
import { startFakeAnthropic } from '../helpers/fake-anthropic.js';
import { startFakeGemini } from '../helpers/fake-gemini.js';
import { startFakeOpenAI } from '../helpers/fake-openai.js';

type Behaviour = { kind: 'ok' } | { kind: 'status'; status: number } | { kind: 'hang' } | { kind: 'reset' };

interface Fake {
  readonly url: string;
  readonly requests: readonly { headers: Readonly<Record<string, unknown>> }[];
  setBehaviour(b: Behaviour): void;
  close(): Promise<void>;
}

interface Subject {
  readonly plugin: AnyPlugin;
  readonly start: () => Promise<Fake>;
  readonly model: string;
  /** Header carrying the credential, and how the value appears. */
  readonly credential: (headers: Readonly<Record<string, unknown>>) => unknown;
}

const SUBJECTS: Record<string, Subject> = {
  openai: {
    plugin: openaiPlugin as unknown as AnyPlugin,
    start: () => startFakeOpenAI() as Promise<Fake>,
    model: 'gpt-4o',
    credential: (h) => h['authorization'],
  },
  anthropic: {
    plugin: anthropicPlugin as unknown as AnyPlugin,
    start: () => startFakeAnthropic() as Promise<Fake>,
    model: 'claude-x',
    credential: (h) => h['x-api-key'],
  },
  gemini: {
    plugin: geminiPlugin as unknown as AnyPlugin,
    start: () => startFakeGemini() as Promise<Fake>,
    model: 'gemini-2.0-flash',
    credential: (h) => h['x-goog-api-key'],
  },
};

const REQUEST: ChatRequest = {
  model: '',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
  maxTokens: 64,
  temperature: 0.2,
  stream: false,
};

async function drain(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const ev of stream) events.push(ev);
  return events;
}

async function errorOf(work: () => Promise<unknown>): Promise<GatewayError> {
  const err = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe.each(Object.keys(SUBJECTS))('provider contract: %s', (name) => {
  const subject = SUBJECTS[name]!;
  let fake: Fake;
  let provider: Provider;
  let secret = 'vault-value-1';
  const signal = () => AbortSignal.timeout(10_000);

  beforeAll(async () => {
    fake = await subject.start();
    const ctx: PluginContext = {
      logger: createLogger('silent'),
      clock: Date.now,
      random: Math.random,
      http: createHttpClient(),
      secrets: { resolve: (ref) => (ref === 'vault:upstream' ? secret : ref) },
      keyring: {
        verify: () => {
          throw new Error('unused');
        },
      },
    };
    const { options, errors } = validatePluginOptions(subject.plugin, { base_url: fake.url, api_key: 'vault:upstream', timeout_ms: 400 }, name);
    expect(errors).toEqual([]);
    provider = (await subject.plugin.create(options, ctx)) as Provider;
  });
  afterAll(async () => fake?.close());

  it('chat returns canonical text, a finish reason and usage', async () => {
    fake.setBehaviour({ kind: 'ok' });
    const result = await provider.chat({ ...REQUEST, model: subject.model }, { signal: signal(), requestId: 'r1' });
    expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/Hello/) });
    expect(result.finishReason.unified).toBe('stop');
    expect(result.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('stream is lazy, yields text deltas and ends with exactly one finish', async () => {
    fake.setBehaviour({ kind: 'ok' });
    const before = fake.requests.length;
    const stream = provider.stream({ ...REQUEST, model: subject.model, stream: true }, { signal: signal(), requestId: 'r2' });
    expect(fake.requests.length).toBe(before);
    const events = await drain(stream);
    expect(fake.requests.length).toBe(before + 1);
    expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('finish');
    expect(events.some((e) => e.type === 'text-delta')).toBe(true);
  });

  it.each([
    [{ kind: 'status', status: 429 } as Behaviour, 'upstream_rate_limited', true],
    [{ kind: 'status', status: 500 } as Behaviour, 'upstream_unavailable', true],
    [{ kind: 'reset' } as Behaviour, 'upstream_unavailable', true],
    [{ kind: 'hang' } as Behaviour, 'upstream_timeout', true],
    [{ kind: 'status', status: 401 } as Behaviour, 'upstream_unavailable', true],
  ])('%o → %s (retryable: %s), in chat and before the first stream event', async (behaviour, code, retryable) => {
    fake.setBehaviour(behaviour);
    const chatError = await errorOf(() => provider.chat({ ...REQUEST, model: subject.model }, { signal: signal(), requestId: 'r3' }));
    expect([chatError.code, chatError.retryable]).toEqual([code, retryable]);
    const streamError = await errorOf(() => drain(provider.stream({ ...REQUEST, model: subject.model, stream: true }, { signal: signal(), requestId: 'r4' })));
    expect(streamError.code).toBe(code);
    fake.setBehaviour({ kind: 'ok' });
  });

  it('an unreachable upstream is upstream_unavailable', async () => {
    const ctx = {
      logger: createLogger('silent'),
      clock: Date.now,
      random: Math.random,
      http: createHttpClient(),
      secrets: { resolve: (r: string | undefined) => r },
      keyring: {
        verify: () => {
          throw new Error();
        },
      },
    };
    const { options } = validatePluginOptions(subject.plugin, { base_url: 'http://127.0.0.1:1', timeout_ms: 400 }, name);
    const dead = (await subject.plugin.create(options, ctx)) as Provider;
    expect((await errorOf(() => dead.chat({ ...REQUEST, model: subject.model }, { signal: signal(), requestId: 'r5' }))).code).toBe('upstream_unavailable');
  });

  it('resolves the credential on every call (a vault update applies to the next request)', async () => {
    fake.setBehaviour({ kind: 'ok' });
    secret = 'vault-value-1';
    await provider.chat({ ...REQUEST, model: subject.model }, { signal: signal(), requestId: 'r6' });
    expect(String(subject.credential(fake.requests.at(-1)!.headers))).toContain('vault-value-1');
    secret = 'vault-value-2';
    await provider.chat({ ...REQUEST, model: subject.model }, { signal: signal(), requestId: 'r7' });
    expect(String(subject.credential(fake.requests.at(-1)!.headers))).toContain('vault-value-2');
  });

  it('an aborted call is not reported as a provider failure', async () => {
    fake.setBehaviour({ kind: 'hang' });
    const controller = new AbortController();
    const pending = provider.chat({ ...REQUEST, model: subject.model }, { signal: controller.signal, requestId: 'r8' });
    setTimeout(() => controller.abort(new Error('client left')), 50);
    const err = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).not.toBeInstanceOf(GatewayError);
    fake.setBehaviour({ kind: 'ok' });
  });
});
