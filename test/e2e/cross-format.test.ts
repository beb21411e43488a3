/**
 * Every client format × every provider type, streaming and not, text and tool calls, through the
 * real server, driven by the official OpenAI and Anthropic SDKs against fake upstreams.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { startFakeGemini, type FakeGemini } from '../helpers/fake-gemini.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

let server: TestServer;
let fakeOpenAI: FakeOpenAI;
let fakeAnthropic: FakeAnthropic;
let fakeGemini: FakeGemini;
let openai: OpenAI;
let anthropic: Anthropic;

interface Upstream {
  readonly model: string;
  readonly upstreamModel: string;
  readonly text: string;
  answerText(): void;
  answerTool(): void;
  lastBody(): Record<string, unknown>;
  lastHeaders(): Record<string, unknown>;
}

const upstreams: Record<string, () => Upstream> = {
  openai: () => ({
    model: 'gpt-4o',
    upstreamModel: 'gpt-4o-2024-08-06',
    text: 'Hello from the fake OpenAI upstream.',
    answerText: () => fakeOpenAI.setBehaviour({ kind: 'ok' }),
    answerTool: () => fakeOpenAI.setBehaviour({ kind: 'ok', toolCall: { name: 'get_weather', arguments: '{"city":"Paris"}' } }),
    lastBody: () => fakeOpenAI.requests.at(-1)!.body as Record<string, unknown>,
    lastHeaders: () => fakeOpenAI.requests.at(-1)!.headers as Record<string, unknown>,
  }),
  anthropic: () => ({
    model: 'claude-sonnet',
    upstreamModel: 'claude-sonnet-4-20250514',
    text: 'Hello from fake Anthropic.',
    answerText: () => fakeAnthropic.setBehaviour({ kind: 'ok' }),
    answerTool: () => fakeAnthropic.setBehaviour({ kind: 'ok', toolCall: { name: 'get_weather', input: { city: 'Paris' } } }),
    lastBody: () => fakeAnthropic.requests.at(-1)!.body as Record<string, unknown>,
    lastHeaders: () => fakeAnthropic.requests.at(-1)!.headers as Record<string, unknown>,
  }),
  gemini: () => ({
    model: 'gemini-flash',
    upstreamModel: 'gemini-2.0-flash',
    text: 'Hello from fake Gemini.',
    answerText: () => fakeGemini.setBehaviour({ kind: 'ok' }),
    answerTool: () => fakeGemini.setBehaviour({ kind: 'ok', toolCall: { name: 'get_weather', args: { city: 'Paris' } } }),
    lastBody: () => fakeGemini.requests.at(-1)!.body as Record<string, unknown>,
    lastHeaders: () => fakeGemini.requests.at(-1)!.headers as Record<string, unknown>,
  }),
};

beforeAll(async () => {
  [fakeOpenAI, fakeAnthropic, fakeGemini] = await Promise.all([startFakeOpenAI(), startFakeAnthropic(), startFakeGemini()]);
  server = await startTestServer(
    mockConfig({
      providers: [
        { name: 'local-mock', type: 'mock' },
        { name: 'oai', type: 'openai', base_url: fakeOpenAI.url, api_key: 'sk-upstream-openai', timeout_ms: 5000 },
        { name: 'ant', type: 'anthropic', base_url: fakeAnthropic.url, api_key: 'sk-upstream-anthropic', timeout_ms: 5000 },
        { name: 'gem', type: 'gemini', base_url: fakeGemini.url, api_key: 'gm-upstream-key', timeout_ms: 5000 },
      ],
      models: [
        { id: 'mock-fast', provider: 'local-mock', categories: ['text', 'code'] },
        { id: 'gpt-4o', provider: 'oai', upstream_model: 'gpt-4o-2024-08-06', pricing: { input_per_1m: 2.5, output_per_1m: 10 } },
        { id: 'claude-sonnet', provider: 'ant', upstream_model: 'claude-sonnet-4-20250514', pricing: { input_per_1m: 3, output_per_1m: 15 } },
        { id: 'gemini-flash', provider: 'gem', upstream_model: 'gemini-2.0-flash', pricing: { input_per_1m: 0.1, output_per_1m: 0.4 } },
      ],
      routing: { categories: { text: { policy: 'fixed', models: ['mock-fast'] } } },
    }),
  );
  openai = new OpenAI({ apiKey: server.adminKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: server.adminKey, baseURL: server.url, maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await Promise.all([fakeOpenAI?.close(), fakeAnthropic?.close(), fakeGemini?.close()]);
});

describe.each(Object.keys(upstreams))('provider %s', (providerType) => {
  const up = () => upstreams[providerType]!();

  it('OpenAI SDK, non-streaming text: answer, model id and the upstream model name', async () => {
    const u = up();
    u.answerText();
    const { data, response } = await openai.chat.completions
      .create({
        model: u.model,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Say hello' },
        ],
      })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe(u.text);
    expect(data.model).toBe(u.model);
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage!.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchboard-model')).toBe(u.model);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('x-switchboard-category')).toBeTruthy();
    const body = u.lastBody();
    expect(JSON.stringify(body)).toContain('Be brief.');
    if (providerType !== 'gemini') expect(body['model']).toBe(u.upstreamModel);
    const headers = JSON.stringify(u.lastHeaders());
    expect(headers).not.toContain(server.adminKey);
    expect(headers).toMatch(/upstream/);
  });

  it('OpenAI SDK, streaming text arrives in pieces with usage', async () => {
    const u = up();
    u.answerText();
    const stream = await openai.chat.completions.create({
      model: u.model,
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
      expect(chunk.model).toBe(u.model);
    }
    expect(text).toBe(u.text);
    expect(chunks).toBeGreaterThan(2);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('OpenAI SDK, tool call non-streaming and streaming', async () => {
    const u = up();
    u.answerTool();
    const params = {
      model: u.model,
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
      tools: [{ type: 'function' as const, function: WEATHER_TOOL }],
    };
    const done = await openai.chat.completions.create(params);
    const call = done.choices[0]!.message.tool_calls![0]!;
    expect(done.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(JSON.stringify(u.lastBody())).toContain('get_weather');

    const stream = openai.chat.completions.stream(params);
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]!.message.tool_calls![0]!;
    expect(streamed.type === 'function' && JSON.parse(streamed.function.arguments)).toEqual({ city: 'Paris' });

    // the tool result goes back upstream in the provider's own shape
    const id = call.id;
    u.answerText();
    const followUp = await openai.chat.completions.create({
      ...params,
      messages: [...params.messages, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: id, content: '{"temp": 21}' }],
    });
    expect(followUp.choices[0]!.message.content).toBe(u.text);
    expect(JSON.stringify(u.lastBody())).toContain('21');
  });

  it('Anthropic SDK, non-streaming and streaming text', async () => {
    const u = up();
    u.answerText();
    const message = await anthropic.messages.create({
      model: u.model,
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: u.text });
    expect(message.model).toBe(u.model);
    expect(message.stop_reason).toBe('end_turn');
    expect(JSON.stringify(u.lastBody())).toContain('Be brief.');

    const stream = anthropic.messages.stream({ model: u.model, max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe(u.text);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('Anthropic SDK, tool use non-streaming and streaming', async () => {
    const u = up();
    u.answerTool();
    const params = {
      model: u.model,
      max_tokens: 200,
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
      tools: [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: WEATHER_TOOL.parameters as Anthropic.Tool.InputSchema }],
    };
    const message = await anthropic.messages.create(params);
    expect(message.stop_reason).toBe('tool_use');
    const use = message.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });

    const final = await anthropic.messages.stream(params).finalMessage();
    expect(final.content.find((b) => b.type === 'tool_use')).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });

    u.answerText();
    const toolUse = use as Anthropic.ToolUseBlock;
    const followUp = await anthropic.messages.create({
      ...params,
      messages: [
        ...params.messages,
        { role: 'assistant', content: [toolUse] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny, 21 degrees' }] },
      ],
    });
    expect(followUp.content[0]).toMatchObject({ type: 'text', text: u.text });
    expect(JSON.stringify(u.lastBody())).toContain('sunny, 21 degrees');
  });
});

describe('offline mock provider', () => {
  it('answers auto-routed requests through both SDKs', async () => {
    const chat = await openai.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'Hello there' }] });
    expect(chat.model).toBe('mock-fast');
    expect(chat.choices[0]!.message.content).toMatch(/Mock answer/);
    const message = await anthropic.messages.create({ model: 'auto', max_tokens: 50, messages: [{ role: 'user', content: 'Hello there' }] });
    expect(message.model).toBe('mock-fast');
  });

  it('applies the SPEC defaults (temperature 0.2, max_tokens 2048) when the client omits them', async () => {
    fakeOpenAI.setBehaviour({ kind: 'ok' });
    await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const body = fakeOpenAI.requests.at(-1)!.body as Record<string, unknown>;
    expect(body['temperature']).toBe(0.2);
    expect(body['max_tokens']).toBe(2048);
    expect(body['stream']).not.toBe(true);
  });
});
