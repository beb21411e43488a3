/**
 * Structured output across formats, through the real server with the official SDKs: OpenAI
 * `response_format` and Anthropic `output_config.format` reach an Anthropic upstream natively
 * (capability structured_output) or as a forced tool whose input comes back as the JSON answer;
 * an OpenAI upstream gets response_format itself. Also: OpenRouter's usage shape on /api/v1.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundedKey, ledgerRows } from '../billing/billing-helpers.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { TEST_ADMIN_KEY, startTestServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let fake: FakeAnthropic;
let fakeOpenAI: FakeOpenAI;
let openai: OpenAI;
let anthropic: Anthropic;
let key: string;
let accountId: string;

const schema = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer' } },
  required: ['city', 'population'],
  additionalProperties: false,
};
const answer = { city: 'Paris', population: 2_100_000 };
const responseFormat = { type: 'json_schema' as const, json_schema: { name: 'city', description: 'A city and its population.', schema, strict: true } };

beforeAll(async () => {
  [fake, fakeOpenAI] = await Promise.all([startFakeAnthropic(), startFakeOpenAI()]);
  server = await startTestServer({
    auth: { admin_keys: [TEST_ADMIN_KEY] },
    billing: { unmetered_accounts: [], overhead: 0 },
    rate_limits: { default_rpm: 100_000 },
    providers: [
      { name: 'ant', type: 'anthropic', base_url: fake.url, api_key: 'sk-ant', timeout_ms: 5000 },
      { name: 'oai', type: 'openai', base_url: fakeOpenAI.url, api_key: 'sk-oai', timeout_ms: 5000 },
    ],
    models: [
      { id: 'claude', provider: 'ant', pricing: { input_per_1m: 3, output_per_1m: 15 } },
      {
        id: 'claude-native',
        provider: 'ant',
        capabilities: ['text', 'tools', 'vision', 'streaming', 'structured_output'],
        pricing: { input_per_1m: 3, output_per_1m: 15 },
      },
      { id: 'gpt', provider: 'oai', pricing: { input_per_1m: 2, output_per_1m: 8 } },
    ],
    routing: { categories: { text: { policy: 'fixed', models: ['claude'] } } },
  });
  ({ key, accountId } = await fundedKey(server, 'structured', 10));
  openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: key, baseURL: server.url, maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await fakeOpenAI?.close();
});

function upstreamBody(): Record<string, unknown> {
  return fake.requests.at(-1)?.body as Record<string, unknown>;
}

describe('OpenAI response_format → an Anthropic model without native structured output', () => {
  it('forces a json_response tool with the schema; the client gets the JSON as content, finish stop', async () => {
    fake.setBehaviour({ kind: 'ok', toolCall: { name: 'json_response', input: answer } });
    const completion = await openai.chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'Largest city of France?' }],
      response_format: responseFormat,
    });
    const sent = upstreamBody();
    expect(sent['tools']).toEqual([{ name: 'json_response', description: 'A city and its population.', input_schema: schema }]);
    expect(sent['tool_choice']).toEqual({ type: 'tool', name: 'json_response' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual(answer);
  });

  it('streams the tool input as content deltas', async () => {
    fake.setBehaviour({ kind: 'ok', toolCall: { name: 'json_response', input: answer } });
    const stream = openai.chat.completions.stream({ model: 'claude', messages: [{ role: 'user', content: 'Largest city?' }], response_format: responseFormat });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    expect(deltas.length).toBeGreaterThan(1);
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(JSON.parse(final.choices[0]?.message.content ?? '')).toEqual(answer);
    expect(deltas.join('')).toBe(JSON.stringify(answer));
  });

  it('json_object (openai-compatible generateObject) becomes a forced tool with an open object schema', async () => {
    fake.setBehaviour({ kind: 'ok', toolCall: { name: 'json_response', input: { anything: [1, 2] } } });
    const completion = await openai.chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'JSON please' }],
      response_format: { type: 'json_object' },
    });
    expect((upstreamBody()['tools'] as { input_schema: unknown }[])[0]?.input_schema).toEqual({ type: 'object', additionalProperties: true });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ anything: [1, 2] });
  });
});

describe('output_config.format (Anthropic clients)', () => {
  it('is sent natively to a model with the structured_output capability', async () => {
    fake.setBehaviour({ kind: 'ok', text: JSON.stringify(answer) });
    const message = await anthropic.messages.create({
      model: 'claude-native',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Largest city?' }],
      output_config: { format: { type: 'json_schema', schema } },
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(upstreamBody()['output_config']).toEqual({ format: { type: 'json_schema', schema } });
    expect(upstreamBody()).not.toHaveProperty('tools');
    expect(message.content).toEqual([{ type: 'text', text: JSON.stringify(answer) }]);
  });

  it('becomes the forced tool elsewhere, streamed back as text, stop_reason end_turn', async () => {
    fake.setBehaviour({ kind: 'ok', toolCall: { name: 'json_response', input: answer } });
    const message = await anthropic.messages
      .stream({
        model: 'claude',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Largest city?' }],
        output_config: { format: { type: 'json_schema', schema } },
      } as Anthropic.MessageStreamParams)
      .finalMessage();
    expect(upstreamBody()['tool_choice']).toEqual({ type: 'tool', name: 'json_response' });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content).toHaveLength(1);
    expect(JSON.parse((message.content[0] as Anthropic.TextBlock).text)).toEqual(answer);
  });

  it('reaches an OpenAI upstream as response_format', async () => {
    fakeOpenAI.setBehaviour({ kind: 'ok', text: JSON.stringify(answer) });
    const message = await anthropic.messages.create({
      model: 'gpt',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Largest city?' }],
      output_format: { type: 'json_schema', schema },
    } as Anthropic.MessageCreateParamsNonStreaming);
    const sent = fakeOpenAI.requests.at(-1)?.body as Record<string, unknown> | undefined;
    expect(sent?.['response_format']).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema },
    });
    expect(message.content).toEqual([{ type: 'text', text: JSON.stringify(answer) }]);
  });
});

describe('reasoning to OpenAI clients', () => {
  it('streams Claude thinking as reasoning_content deltas through the official SDK', async () => {
    fake.setBehaviour({ kind: 'ok', text: 'Four.', thinking: { text: 'Two plus two.', signature: 'sig' } });
    const stream = await openai.chat.completions.create({
      model: 'claude',
      stream: true,
      max_tokens: 4096,
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: '2+2?' }],
    });
    let reasoning = '';
    let content = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      content += delta?.content ?? '';
    }
    expect(upstreamBody()['thinking']).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(reasoning).toBe('Two plus two.');
    expect(content).toBe('Four.');
  });
});

describe('OpenRouter shape on /api/v1/chat/completions', () => {
  it('ends a stream with usage and its cost even without stream_options, and the cost is what was billed', async () => {
    fakeOpenAI.setBehaviour({ kind: 'ok' });
    const res = await request(server.url)
      .post('/api/v1/chat/completions')
      .set({ Authorization: `Bearer ${key}` })
      .send({ model: 'gpt', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    const chunks = res.text
      .split('\n\n')
      .filter((f) => f.startsWith('data: {'))
      .map((f) => JSON.parse(f.slice(6)) as { usage?: Record<string, unknown> });
    const last = chunks.at(-1);
    const row = (await ledgerRows(server, accountId)).filter((r) => r.type === 'usage').at(-1);
    expect(last?.usage).toEqual({
      prompt_tokens: row?.input_tokens,
      completion_tokens: row?.output_tokens,
      total_tokens: (row?.input_tokens ?? 0) + (row?.output_tokens ?? 0),
      cost: -(row?.amount_micros ?? 0) / 1e6,
      is_byok: false,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(last?.usage?.['cost']).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => !('usage' in c))).toBe(true);

    const plain = await request(server.url)
      .post('/v1/chat/completions')
      .set({ Authorization: `Bearer ${key}` })
      .send({ model: 'gpt', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(plain.text).not.toContain('"usage"');
  });

  it('puts cost in non-streaming usage, and reasoning as reasoning and reasoning_content', async () => {
    fake.setBehaviour({ kind: 'ok', text: 'Yes.', thinking: { text: 'Think.', signature: 's' }, usage: { input: 10, output: 5, cacheRead: 90 } });
    const res = await request(server.url)
      .post('/api/v1/chat/completions')
      .set({ Authorization: `Bearer ${key}` })
      .send({ model: 'claude', messages: [{ role: 'user', content: 'hi' }], reasoning: { max_tokens: 1024 }, max_tokens: 2048 });
    expect(res.status).toBe(200);
    expect(upstreamBody()['thinking']).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(upstreamBody()).not.toHaveProperty('temperature');
    expect(res.headers['x-switchboard-warnings']).toContain('temperature ignored');
    expect(res.body.choices[0].message).toMatchObject({ content: 'Yes.', reasoning: 'Think.', reasoning_content: 'Think.' });
    // 10 new + 90 cached input tokens (no cache price set: input price) + 5 output.
    expect(res.body.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 5,
      total_tokens: 105,
      cost: (100 * 3 + 5 * 15) / 1e6,
      is_byok: false,
      prompt_tokens_details: { cached_tokens: 90 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });
});
