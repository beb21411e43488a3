/**
 * The OpenAI Responses API through the real server, driven by the official `openai` SDK
 * (responses.create / stream / retrieve / delete) against fake OpenAI and Anthropic upstreams:
 * text, a function-tool round trip, text.format, previous_response_id, store:false, isolation,
 * and the charge in the account's usage history.
 */
import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, fundedKey } from '../billing/billing-helpers.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

let server: TestServer;
let fakeOpenAI: FakeOpenAI;
let fakeAnthropic: FakeAnthropic;
let client: OpenAI;
let accountKey: string;

interface Upstream {
  readonly model: string;
  readonly text: string;
  answerText(text?: string): void;
  answerTool(): void;
  lastBody(): Record<string, unknown>;
}

const upstreams: Record<string, () => Upstream> = {
  openai: () => ({
    model: 'gpt-4o',
    text: 'Hello from the fake OpenAI upstream.',
    answerText: (text) => fakeOpenAI.setBehaviour({ kind: 'ok', ...(text !== undefined ? { text } : {}) }),
    answerTool: () => fakeOpenAI.setBehaviour({ kind: 'ok', toolCall: { name: 'get_weather', arguments: '{"city":"Paris"}' } }),
    lastBody: () => fakeOpenAI.requests.at(-1)!.body as Record<string, unknown>,
  }),
  anthropic: () => ({
    model: 'claude-sonnet',
    text: 'Hello from fake Anthropic.',
    answerText: (text) => fakeAnthropic.setBehaviour({ kind: 'ok', ...(text !== undefined ? { text } : {}) }),
    answerTool: () => fakeAnthropic.setBehaviour({ kind: 'ok', toolCall: { name: 'get_weather', input: { city: 'Paris' } } }),
    lastBody: () => fakeAnthropic.requests.at(-1)!.body as Record<string, unknown>,
  }),
};

beforeAll(async () => {
  [fakeOpenAI, fakeAnthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  server = await startTestServer(
    mockConfig({
      providers: [
        { name: 'local-mock', type: 'mock' },
        { name: 'oai', type: 'openai', base_url: fakeOpenAI.url, api_key: 'sk-upstream-openai', timeout_ms: 5000 },
        { name: 'ant', type: 'anthropic', base_url: fakeAnthropic.url, api_key: 'sk-upstream-anthropic', timeout_ms: 5000 },
      ],
      models: [
        { id: 'mock-fast', provider: 'local-mock', categories: ['text', 'code'] },
        { id: 'gpt-4o', provider: 'oai', upstream_model: 'gpt-4o-2024-08-06', pricing: { input_per_1m: 2.5, output_per_1m: 10 } },
        { id: 'claude-sonnet', provider: 'ant', upstream_model: 'claude-sonnet-4-20250514', pricing: { input_per_1m: 3, output_per_1m: 15 } },
      ],
      routing: { categories: { text: { policy: 'fixed', models: ['mock-fast'] } } },
    }),
  );
  ({ key: accountKey } = await fundedKey(server, 'responses-user', 10));
  client = new OpenAI({ apiKey: accountKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await Promise.all([fakeOpenAI?.close(), fakeAnthropic?.close()]);
});

describe.each(Object.keys(upstreams))('Responses API on a %s-backed model', (kind) => {
  const up = () => upstreams[kind]!();

  it('create: text answer, response object fields, usage and headers', async () => {
    const u = up();
    u.answerText();
    const { data, response } = await client.responses
      .create({ model: u.model, instructions: 'Be brief.', input: 'Say hello', metadata: { run: 't1' } })
      .withResponse();
    expect(data.id).toMatch(/^resp_/);
    expect(data.object).toBe('response');
    expect(data.status).toBe('completed');
    expect(data.model).toBe(u.model);
    expect(data.output_text).toBe(u.text);
    expect(data.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', annotations: [] }] });
    expect(data.usage!.input_tokens).toBeGreaterThan(0);
    expect(data.usage!.output_tokens).toBeGreaterThan(0);
    expect(data.usage!.total_tokens).toBe(data.usage!.input_tokens + data.usage!.output_tokens);
    expect(data.usage!.input_tokens_details.cached_tokens).toBe(0);
    expect(data.instructions).toBe('Be brief.');
    expect(data.metadata).toEqual({ run: 't1' });
    expect(data.error).toBeNull();
    expect(data.incomplete_details).toBeNull();
    expect(data.parallel_tool_calls).toBe(true);
    expect(data.tools).toEqual([]);
    expect(response.headers.get('x-switchboard-model')).toBe(u.model);
    expect(JSON.stringify(u.lastBody())).toContain('Be brief.');
    expect(JSON.stringify(u.lastBody())).toContain('Say hello');
  });

  it('a function tool round trip: function_call item, then function_call_output (stateless)', async () => {
    const u = up();
    u.answerTool();
    const first = await client.responses.create({ model: u.model, input: 'Weather in Paris?', tools: [WEATHER_TOOL], store: false });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    if (call?.type !== 'function_call') throw new Error('no function call');
    expect(call.call_id).toBeTruthy();
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
    expect(first.tools).toMatchObject([{ type: 'function', name: 'get_weather' }]);

    u.answerText();
    const second = await client.responses.create({
      model: u.model,
      tools: [WEATHER_TOOL],
      store: false,
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: '{"temp":21}' },
      ],
    });
    expect(second.output_text).toBe(u.text);
    const upstream = JSON.stringify(u.lastBody());
    expect(upstream).toContain(call.call_id);
    expect(upstream).toContain('21');
  });

  it('previous_response_id continues a stored conversation (tool output in the next turn)', async () => {
    const u = up();
    u.answerTool();
    const first = await client.responses.create({ model: u.model, input: 'Weather in Paris?', tools: [WEATHER_TOOL] });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('no function call');
    u.answerText('It is 21 degrees.');
    const second = await client.responses.create({
      model: u.model,
      previous_response_id: first.id,
      tools: [WEATHER_TOOL],
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"temp":21}' }],
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output_text).toBe('It is 21 degrees.');
    const upstream = JSON.stringify(u.lastBody());
    expect(upstream).toContain('Weather in Paris?');
    expect(upstream).toContain(call.call_id);

    u.answerText('Bye.');
    const third = await client.responses.create({ model: u.model, previous_response_id: second.id, input: 'Thanks!' });
    expect(third.output_text).toBe('Bye.');
    const history = JSON.stringify(u.lastBody());
    for (const text of ['Weather in Paris?', 'It is 21 degrees.', 'Thanks!']) expect(history).toContain(text);
  });

  it('text.format json_schema reaches the model as structured output', async () => {
    const u = up();
    u.answerText('{"city":"Paris","temp":21}');
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, temp: { type: 'number' } },
      required: ['city', 'temp'],
      additionalProperties: false,
    };
    const res = await client.responses.create({
      model: u.model,
      input: 'Weather as JSON',
      text: { format: { type: 'json_schema', name: 'weather', schema, strict: true } },
    });
    expect(JSON.parse(res.output_text)).toEqual({ city: 'Paris', temp: 21 });
    expect(res.text?.format).toMatchObject({ type: 'json_schema', name: 'weather' });
    if (kind === 'openai') expect(u.lastBody()['response_format']).toMatchObject({ type: 'json_schema', json_schema: { name: 'weather', schema } });
  });

  it('stream: the typed event sequence and the final response', async () => {
    const u = up();
    u.answerText();
    const stream = client.responses.stream({ model: u.model, input: 'Say hello' });
    const types: string[] = [];
    const sequence: number[] = [];
    let deltas = '';
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') deltas += event.delta;
    }
    const final = await stream.finalResponse();
    expect(deltas).toBe(u.text);
    expect(final.output_text).toBe(u.text);
    expect(final.status).toBe('completed');
    expect(final.usage!.output_tokens).toBeGreaterThan(0);
    expect(sequence).toEqual(sequence.map((_, i) => i));
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    expect(types.slice(-5)).toEqual([
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);

    const stored = await client.responses.retrieve(final.id);
    expect(stored.output_text).toBe(u.text);
    expect(stored.status).toBe('completed');
  });

  it('stream: a function call streams its arguments', async () => {
    const u = up();
    u.answerTool();
    const stream = client.responses.stream({ model: u.model, input: 'Weather in Paris?', tools: [WEATHER_TOOL] });
    let args = '';
    const types = new Set<string>();
    for await (const event of stream) {
      types.add(event.type);
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
    }
    const final = await stream.finalResponse();
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(types).toContain('response.function_call_arguments.done');
    const call = final.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
  });
});

describe('stored responses', () => {
  it('retrieve returns the stored response; store:false is not stored', async () => {
    fakeOpenAI.setBehaviour({ kind: 'ok' });
    const stored = await client.responses.create({ model: 'gpt-4o', input: 'Keep me' });
    const again = await client.responses.retrieve(stored.id);
    expect(again).toMatchObject({ id: stored.id, status: 'completed', output_text: stored.output_text, model: 'gpt-4o' });

    const unstored = await client.responses.create({ model: 'gpt-4o', input: 'Forget me', store: false });
    expect((unstored as unknown as { store: boolean }).store).toBe(false);
    await expect(client.responses.retrieve(unstored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.responses.create({ model: 'gpt-4o', input: 'More', previous_response_id: unstored.id })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("another account's response is a 404 (retrieve, previous_response_id, delete)", async () => {
    fakeOpenAI.setBehaviour({ kind: 'ok' });
    const mine = await client.responses.create({ model: 'gpt-4o', input: 'Private' });
    const other = await fundedKey(server, 'responses-other', 1);
    const stranger = new OpenAI({ apiKey: other.key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    await expect(stranger.responses.retrieve(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(stranger.responses.create({ model: 'gpt-4o', input: 'Hi', previous_response_id: mine.id })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(stranger.responses.delete(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await client.responses.delete(mine.id);
    await expect(client.responses.retrieve(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('the charge is in the usage history under the request id', async () => {
    fakeOpenAI.setBehaviour({ kind: 'ok' });
    const { response } = await client.responses.create({ model: 'gpt-4o', input: 'Bill me' }).withResponse();
    const requestId = response.headers.get('x-request-id');
    const history = await request(server.url).get('/api/usage/history?limit=100').set(bearer(accountKey));
    const row = (history.body.transactions as { type: string; request_id?: string; model?: string; amount: number }[]).find((t) => t.request_id === requestId);
    expect(row).toMatchObject({ type: 'usage', model: 'gpt-4o' });
    expect(row!.amount).toBeLessThan(0);
    const line = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['event'] === 'request' && l['requestId'] === requestId);
    expect(line).toMatchObject({ route: '/v1/responses', model: 'gpt-4o', status: 200 });
    expect(line!['outputTokens']).toBeGreaterThan(0);
  });
});

describe('limits and metrics apply as on chat completions', () => {
  it("a key's requests-per-minute limit answers 429 in the OpenAI envelope; the request is metered", async () => {
    fakeOpenAI.setBehaviour({ kind: 'ok' });
    const { accountId } = await fundedKey(server, 'responses-limited', 1);
    const { key } = await server.gateway.keyStore.create({ accountId, name: 'rpm', scopes: ['chat'], rateLimitRpm: 1 });
    const limited = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    await limited.responses.create({ model: 'gpt-4o', input: 'one' });
    const second = limited.responses.create({ model: 'gpt-4o', input: 'two' });
    await expect(second).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(second).rejects.toMatchObject({ code: 'rate_limit_exceeded' });
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/switchboard_http_requests_total\{method="POST",route="\/v1\/responses",status="200"\} \d+/);
    expect(metrics).toMatch(/switchboard_completions_total\{[^}]*model="gpt-4o"[^}]*\} \d+/);
  });
});

describe('upstream failures', () => {
  it('a provider failure before the first byte is an OpenAI-envelope error, streaming or not; nothing is stored', async () => {
    const stored = () => server.gateway.database.db.selectFrom('responses').select('id').execute();
    const before = (await stored()).length;
    fakeOpenAI.setBehaviour({ kind: 'status', status: 400, body: { error: { message: 'bad things', type: 'invalid_request_error' } } });
    const plain = client.responses.create({ model: 'gpt-4o', input: 'fail please' });
    await expect(plain).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const streamed = client.responses.create({ model: 'gpt-4o', input: 'fail please', stream: true });
    await expect(streamed).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    expect((await stored()).length).toBe(before);
    fakeOpenAI.setBehaviour({ kind: 'ok' });
  });
});

describe('request validation and unsupported fields', () => {
  it('invalid input is a 400 in the OpenAI envelope', async () => {
    const missing = await request(server.url).post('/v1/responses').set(bearer(accountKey)).send({ model: 'gpt-4o' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'request_invalid' });
    expect(missing.body.error.message).toContain('input');
    const badType = await request(server.url).post('/v1/responses').set(bearer(accountKey)).send({ model: 'gpt-4o', input: 'x', temperature: 'hot' });
    expect(badType.status).toBe(400);
    expect(badType.body.error.message).toContain('temperature');
    const openRouter = await request(server.url).post('/api/v1/responses').set(bearer(accountKey)).send({ model: 'gpt-4o' });
    expect(openRouter.status).toBe(400);
    expect(openRouter.body.error).toMatchObject({ code: 400, metadata: { error_code: 'request_invalid' } });
    const badItem = await request(server.url)
      .post('/v1/responses')
      .set(bearer(accountKey))
      .send({ model: 'gpt-4o', input: [{ content: 'no role' }] });
    expect(badItem.status).toBe(400);
  });

  it('hosted tools and unknown fields are dropped with an escaped warning header, not a 400', async () => {
    fakeOpenAI.setBehaviour({ kind: 'ok' });
    const res = await request(server.url)
      .post('/v1/responses')
      .set(bearer(accountKey))
      .send({
        model: 'gpt-4o',
        input: 'Hi',
        tools: [{ type: 'web_search' }, { type: 'local_shell' }, WEATHER_TOOL],
        include: ['reasoning.encrypted_content', 'file_search_call.results'],
        prompt_cache_key: 'abc',
        store: false,
        'fancy_\u00e9\u4e2d_field': true,
      });
    expect(res.status).toBe(200);
    const warnings = res.headers['x-switchboard-warnings'] as string;
    expect(warnings).toContain('"web_search"');
    expect(warnings).toContain('"local_shell"');
    expect(warnings).toContain('fancy_\\u00e9\\u4e2d_field');
    expect(warnings).toMatch(/^[\x20-\x7e]+$/);
    const tools = (fakeOpenAI.requests.at(-1)!.body as { tools: { function: { name: string } }[] }).tools;
    expect(tools.map((t) => t.function.name)).toEqual(['get_weather']);
  });
});
