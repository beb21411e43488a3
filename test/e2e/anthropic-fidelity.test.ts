/**
 * /v1/messages with what Claude Code and LangChain really send, through the real server and the
 * official @anthropic-ai/sdk, against a fake Anthropic upstream that records what it received:
 * the passthrough fields must reach it, and its thinking blocks and cache usage must come back
 * (and be billed at the model's cache prices).
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chargeMicros } from '../../src/billing/price.js';
import { fundedKey, ledgerRows } from '../billing/billing-helpers.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { TEST_ADMIN_KEY, startTestServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let fake: FakeAnthropic;
let fakeOpenAI: FakeOpenAI;
let client: Anthropic;
let accountId: string;

const PRICE = { inputPer1M: 3, outputPer1M: 15, cachedInputPer1M: 0.3, cacheWritePer1M: 3.75 };
const SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';
const ephemeral = { type: 'ephemeral' } as const;
const usage = { input: 50, output: 20, cacheRead: 1000, cacheWrite: 200 };

beforeAll(async () => {
  [fake, fakeOpenAI] = await Promise.all([startFakeAnthropic(), startFakeOpenAI()]);
  server = await startTestServer({
    auth: { admin_keys: [TEST_ADMIN_KEY] },
    billing: { unmetered_accounts: [], overhead: 0 },
    rate_limits: { default_rpm: 100_000 },
    providers: [
      { name: 'ant', type: 'anthropic', base_url: fake.url, api_key: 'sk-ant-upstream', timeout_ms: 5000 },
      { name: 'oai', type: 'openai', base_url: fakeOpenAI.url, api_key: 'sk-oai-upstream', timeout_ms: 5000 },
    ],
    models: [
      {
        id: 'claude',
        provider: 'ant',
        upstream_model: 'claude-sonnet-4-5',
        pricing: { input_per_1m: 3, output_per_1m: 15, cache_read_per_1m: 0.3, cache_write_per_1m: 3.75 },
      },
      { id: 'o-reasoner', provider: 'oai', capabilities: ['text', 'tools', 'streaming', 'reasoning'], pricing: { input_per_1m: 1, output_per_1m: 4 } },
    ],
    routing: { categories: { text: { policy: 'fixed', models: ['claude'] } } },
  });
  const funded = await fundedKey(server, 'fidelity', 10);
  accountId = funded.accountId;
  client = new Anthropic({ apiKey: funded.key, baseURL: server.url, maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await fakeOpenAI?.close();
});

beforeEach(() => fake.setBehaviour({ kind: 'ok' }));

function lastUpstream(): { body: Record<string, unknown>; headers: Record<string, unknown> } {
  const last = fake.requests.at(-1);
  if (last === undefined) throw new Error('the fake upstream saw no request');
  return { body: last.body as Record<string, unknown>, headers: last.headers as Record<string, unknown> };
}

async function lastCharge(): Promise<{ amount: number; input: number | null; output: number | null }> {
  const row = (await ledgerRows(server, accountId)).filter((r) => r.type === 'usage').at(-1);
  if (row === undefined) throw new Error('no usage row');
  return { amount: -row.amount_micros, input: row.input_tokens, output: row.output_tokens };
}

/** A Claude Code–like conversation: cached system blocks, a signed thinking turn, a system turn in messages. */
const conversation = {
  model: 'claude',
  max_tokens: 4096,
  system: [
    { type: 'text' as const, text: 'You are a Claude agent.' },
    { type: 'text' as const, text: 'Long, cached instructions.', cache_control: ephemeral },
  ],
  thinking: { type: 'enabled' as const, budget_tokens: 2048 },
  messages: [
    { role: 'user' as const, content: [{ type: 'text' as const, text: 'What is 6*7?', cache_control: ephemeral }] },
    {
      role: 'assistant' as const,
      content: [
        { type: 'thinking' as const, thinking: 'Multiply.', signature: SIGNATURE },
        { type: 'text' as const, text: '42.' },
      ],
    },
    { role: 'user' as const, content: 'And 7*8?' },
  ],
};

describe('/v1/messages → Anthropic upstream: fidelity', () => {
  it('passes betas, system blocks, cache_control, thinking (with signatures), context_management and system turns through', async () => {
    fake.setBehaviour({ kind: 'ok', text: '56.', thinking: { text: 'Multiply again.', signature: 'sig-new' }, usage });
    const messages = [...conversation.messages.slice(0, 2), { role: 'system', content: 'Answer in French.' }, conversation.messages[2]];
    const message = await client.beta.messages.create({
      ...conversation,
      messages: messages as Anthropic.Beta.BetaMessageParam[],
      betas: ['mid-conversation-system-2026-04-07', 'context-management-2025-06-27'],
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    } as Anthropic.Beta.MessageCreateParamsNonStreaming);

    const { body, headers } = lastUpstream();
    expect(headers['anthropic-beta']).toBe('mid-conversation-system-2026-04-07,context-management-2025-06-27');
    expect(headers['x-api-key']).toBe('sk-ant-upstream');
    expect(body['model']).toBe('claude-sonnet-4-5');
    expect(body['system']).toEqual(conversation.system);
    expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(body['context_management']).toEqual({ edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] });
    expect(body).not.toHaveProperty('temperature');
    expect(body['messages']).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is 6*7?', cache_control: ephemeral }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Multiply.', signature: SIGNATURE },
          { type: 'text', text: '42.' },
        ],
      },
      { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: [{ type: 'text', text: 'And 7*8?' }] },
    ]);

    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Multiply again.', signature: 'sig-new' },
      { type: 'text', text: '56.' },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 50, output_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 });
    const charge = await lastCharge();
    expect(charge).toEqual({
      amount: chargeMicros(PRICE, { inputTokens: 1250, outputTokens: 20, cacheReadTokens: 1000, cacheWriteTokens: 200 }, 0),
      input: 1250,
      output: 20,
    });
    // 50 × $3 + 1000 × $0.30 + 200 × $3.75 + 20 × $15 per 1M tokens.
    expect(charge.amount).toBe(150 + 300 + 750 + 300);
  });

  it('folds a system turn into user text without a beta that allows it, and says so', async () => {
    const res = await client.messages
      .create({
        model: 'claude',
        max_tokens: 100,
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
          { role: 'system', content: 'now in French' } as never,
          { role: 'user', content: 'bye' },
        ],
      })
      .withResponse();
    expect(res.response.headers.get('x-switchboard-warnings')).toMatch(/system message\(s\) inside messages sent as user text/);
    const sent = lastUpstream().body['messages'] as { role: string; content: { text: string }[] }[];
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent[2]?.content.map((b) => b.text)).toEqual(['<system-reminder>\nnow in French\n</system-reminder>', 'bye']);
  });

  it('streams thinking blocks with signatures, the real input tokens in message_start, and bills the reported usage', async () => {
    fake.setBehaviour({
      kind: 'ok',
      text: 'Cinquante-six.',
      thinking: { text: 'Seven eights.', signature: 'sig-stream' },
      redactedThinking: 'EmwKAhgB',
      usage,
    });
    const stream = client.messages.stream(conversation);
    const starts: unknown[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') starts.push(event.message.usage);
    });
    const message = await stream.finalMessage();
    expect(starts).toEqual([expect.objectContaining({ input_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 })]);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Seven eights.', signature: 'sig-stream' },
      { type: 'redacted_thinking', data: 'EmwKAhgB' },
      { type: 'text', text: 'Cinquante-six.' },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 50, output_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 });
    expect((lastUpstream().body['messages'] as { content: unknown[] }[])[1]?.content[0]).toEqual({
      type: 'thinking',
      thinking: 'Multiply.',
      signature: SIGNATURE,
    });
    expect(await lastCharge()).toEqual({ amount: 1500, input: 1250, output: 20 });
  });

  it('passes output_config.effort and adaptive thinking; thinking history reaches an OpenAI reasoning model as reasoning_effort', async () => {
    await client.messages.create({
      model: 'claude',
      max_tokens: 2000,
      messages: [{ role: 'user', content: 'hi' }],
      thinking: { type: 'adaptive' },
      output_config: { effort: 'low' },
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(lastUpstream().body).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });

    fakeOpenAI.setBehaviour({ kind: 'ok', text: 'Bonjour.', reasoning: 'The user greets.' });
    const res = await client.messages.create({ ...conversation, model: 'o-reasoner' }).withResponse();
    const sent = fakeOpenAI.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent['reasoning_effort']).toBe('low'); // budget_tokens 2048
    expect(sent).not.toHaveProperty('temperature'); // none injected on /v1/messages, for any provider
    expect(sent['messages']).toEqual([
      { role: 'system', content: 'You are a Claude agent.\nLong, cached instructions.' },
      { role: 'user', content: 'What is 6*7?' },
      { role: 'assistant', content: '42.' },
      { role: 'user', content: 'And 7*8?' },
    ]);
    expect(res.data.content).toEqual([
      { type: 'thinking', thinking: 'The user greets.', signature: '' },
      { type: 'text', text: 'Bonjour.' },
    ]);
    expect(res.response.headers.get('x-switchboard-warnings')).toMatch(/cache_control breakpoints dropped/);
  });
});

describe('a stream the provider cuts short', () => {
  it('is billed with the input usage the provider reported in message_start, at cache prices', async () => {
    fake.setBehaviour({ kind: 'ok', text: 'Partial answer here', usage, cut: true });
    const rowsBefore = (await ledgerRows(server, accountId)).length;
    const stream = client.messages.stream({ model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    await expect(stream.finalMessage()).rejects.toThrow();
    for (let i = 0; i < 50 && (await ledgerRows(server, accountId)).length === rowsBefore; i++) await new Promise((r) => setTimeout(r, 20));
    const charge = await lastCharge();
    // Not the gateway's estimate of the 'hi' prompt: what Anthropic reported, cache tokens included.
    expect(charge.input).toBe(1250);
    const output = charge.output ?? 0;
    expect(output).toBeGreaterThan(0);
    expect(charge.amount).toBe(chargeMicros(PRICE, { inputTokens: 1250, outputTokens: output, cacheReadTokens: 1000, cacheWriteTokens: 200 }, 0));
  });
});
