/**
 * `mock`: an offline provider with deterministic answers derived from the request. Used by the
 * demo config, by test-mode keys, and by the test suite; it can be slow, streamed at a given
 * token rate, or made to fail.
 */
import type { JSONSchemaType } from 'ajv';
import type { ChatResult, StreamEvent } from '../../../src/formats/canonical.js';
import { GatewayError, upstreamStatusError } from '../../../src/errors.js';
import type { CallContext, ProviderPlugin } from '../../../src/plugins/types.js';
import { mockAnswer } from './answer.js';

export interface MockOptions {
  latency_ms: number;
  tokens_per_second: number;
  failure_rate: number;
  fail_status: number;
  reply: string | null;
}

// JSONSchemaType cannot express "optional in YAML, always present after defaults"; the shape is checked by tests.
const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    latency_ms: { type: 'integer', minimum: 0, default: 0, description: 'Delay before the first byte of every answer.' },
    tokens_per_second: { type: 'number', minimum: 0, default: 0, description: 'Streaming pace; 0 sends every token at once.' },
    failure_rate: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'Fraction of calls that fail with fail_status.' },
    fail_status: { type: 'integer', minimum: 400, maximum: 599, default: 500, description: 'HTTP status the simulated failures carry.' },
    reply: { type: 'string', nullable: true, default: null, description: 'Fixed answer text; null derives a deterministic answer from the prompt.' },
  },
} as unknown as JSONSchemaType<MockOptions>;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const mock: ProviderPlugin<MockOptions> = {
  apiVersion: 1,
  kind: 'provider',
  name: 'mock',
  description: 'Offline provider with deterministic answers, configurable latency, pace and failures.',
  optionsSchema,
  create(options, ctx) {
    let calls = 0;
    const maybeFail = async (call: CallContext) => {
      await sleep(options.latency_ms, call.signal);
      if (options.failure_rate > 0 && ctx.random() < options.failure_rate) {
        throw upstreamStatusError('mock', options.fail_status, `Simulated failure (status ${options.fail_status})`);
      }
    };
    return {
      name: 'mock',
      capabilities: { streaming: true, tools: true, images: true },
      async chat(req, call): Promise<ChatResult> {
        await maybeFail(call);
        const answer = mockAnswer(req, options.reply, calls++);
        return {
          id: `mock-${calls}`,
          content: answer.content,
          finishReason: { unified: answer.finish, raw: answer.finish },
          usage: { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens },
        };
      },
      async *stream(req, call): AsyncGenerator<StreamEvent> {
        await maybeFail(call);
        const answer = mockAnswer(req, options.reply, calls++);
        const pause = options.tokens_per_second > 0 ? 1000 / options.tokens_per_second : 0;
        yield { type: 'start', id: `mock-${calls}` };
        let toolIndex = 0;
        for (const part of answer.content) {
          if (part.type === 'text') {
            const words = part.text.split(/(?<= )/);
            for (const word of words) {
              if (pause > 0) await sleep(pause, call.signal);
              if (call.signal.aborted) throw new GatewayError('upstream_unavailable', 'aborted');
              yield { type: 'text-delta', text: word };
            }
          } else {
            const index = toolIndex++;
            yield { type: 'tool-call-start', index, id: part.id, name: part.name };
            yield { type: 'tool-call-delta', index, argumentsDelta: part.arguments };
            yield { type: 'tool-call-end', index };
          }
        }
        yield {
          type: 'finish',
          finishReason: { unified: answer.finish, raw: answer.finish },
          usage: { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens },
        };
      },
    };
  },
};

export default mock;
