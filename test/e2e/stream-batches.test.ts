/**
 * A provider plugin that offers streamBatches(): the gateway relays its batches as they are,
 * ends the stream at `finish` (with the usage the charge was computed from) even when more events
 * follow in the same batch, and the per-event stream() is not used.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';

const PLUGIN = `
const start = { type: 'start', id: 'b-1' };
const text = (t) => ({ type: 'text-delta', text: t });
const finish = { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 7, outputTokens: 4 } };
export default {
  apiVersion: 1,
  kind: 'provider',
  name: 'batcher',
  description: 'Scripted batches for tests.',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create() {
    async function* streamBatches() {
      yield [start, text('one '), text('two ')];
      yield [text('three '), finish, text('after-finish')];
      yield [text('never')];
    }
    return {
      name: 'batcher',
      capabilities: { streaming: true, tools: false, images: false },
      async chat() { throw new Error('not used'); },
      async *stream() { throw new Error('stream() must not be used when streamBatches() exists'); },
      streamBatches,
    };
  },
};
`;

let pluginDir: string;
let server: TestServer;

beforeAll(async () => {
  pluginDir = await mkdtemp(join(tmpdir(), 'switchboard-batcher-'));
  await writeFile(join(pluginDir, 'batcher.mjs'), PLUGIN);
  server = await startTestServer(
    mockConfig({
      plugins: { dir: pluginDir },
      providers: [{ name: 'batches', type: 'batcher' }],
      models: [{ id: 'batch-model', provider: 'batches', categories: ['text', 'code'], pricing: { input_per_1m: 1, output_per_1m: 2 } }],
      aliases: {},
      routing: { categories: { text: { policy: 'fixed', models: ['batch-model'] }, code: { policy: 'fixed', models: ['batch-model'] } } },
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await rm(pluginDir, { recursive: true, force: true });
});

describe('providers with streamBatches()', () => {
  it('relays the batches, stops at finish and reports its usage', async () => {
    const client = new OpenAI({ apiKey: TEST_ADMIN_KEY, baseURL: `${server.url}/v1` });
    const stream = await client.chat.completions.create({
      model: 'batch-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'count' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finishReason: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('one two three ');
    expect(finishReason).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 4 });
    // Costed from the finish event's usage (the admin's default account is recorded at cost).
    await expect
      .poll(() => server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['model'] === 'batch-model'))
      .toMatchObject({ status: 200, inputTokens: 7, outputTokens: 4, errorCode: null, costUsd: expect.any(Number) });
  });
});
