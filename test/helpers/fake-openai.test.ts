/** The fake upstream speaks the real wire format: the official SDK talks to it unchanged. */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_DEFAULT_TEXT, startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';

let fake: FakeOpenAI;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: 'sk-fake', baseURL: fake.url, maxRetries: 0, timeout: 2000 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.setBehaviour({ kind: 'ok' });
  fake.requests.length = 0;
});

const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }];

describe('fake OpenAI upstream', () => {
  it('answers chat completions deterministically and records the request', async () => {
    const a = await client.chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] });
    const b = await client.chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] });
    expect(a).toEqual(b);
    expect(a.model).toBe('m1');
    expect(a.choices[0]?.message.content).toBe(FAKE_DEFAULT_TEXT);
    expect(a.usage?.total_tokens).toBe((a.usage?.prompt_tokens ?? 0) + (a.usage?.completion_tokens ?? 0));
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'm1' } });
    expect(fake.requests[0]?.headers['authorization']).toBe('Bearer sk-fake');
  });

  it('streams text with a usage chunk when asked', async () => {
    fake.setBehaviour({ kind: 'ok', text: 'one two three' });
    const stream = client.chat.completions.stream({ model: 'm1', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('one two three');
    expect(final.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('answers with a tool call only when the request has tools', async () => {
    fake.setBehaviour({ kind: 'ok', toolCall: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    const plain = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(plain.choices[0]?.message.content).toBe(FAKE_DEFAULT_TEXT);
    const withTools = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools });
    expect(withTools.choices[0]?.finish_reason).toBe('tool_calls');
    expect(withTools.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    const streamed = await client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools }).finalChatCompletion();
    expect(streamed.choices[0]?.message.tool_calls?.[0]).toMatchObject({ id: 'call_fake_0', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
  });

  it('serves embeddings', async () => {
    const res = await client.embeddings.create({ model: 'e1', input: ['a', 'bc'] });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]?.embedding).toHaveLength(8);
    expect(res.data[0]?.embedding[0]).toBeCloseTo((('a'.charCodeAt(0) % 97) + 1) / 128);
    expect(fake.requests[0]?.path).toBe('/v1/embeddings');
  });

  it('fails on demand: status, reset, hang, delay', async () => {
    fake.setBehaviour({ kind: 'status', status: 429 });
    await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 429 });
    fake.setBehaviour({ kind: 'reset' });
    await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();
    fake.setBehaviour({ kind: 'hang' });
    await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { timeout: 100 })).rejects.toThrow(/timed out/i);
    fake.setBehaviour({ kind: 'delay', ms: 50 });
    const t0 = Date.now();
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
  });
});
