/**
 * The Responses API as real agent clients use it, beyond the SDK's own calls: Codex's streamed
 * turns (custom apply_patch tool, reasoning items back in input, store:false) against an
 * Anthropic-backed model, the AI SDK's item_reference items, and a client that hangs up
 * mid-stream (upstream aborted, produced tokens billed).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundedKey, ledgerRows } from '../billing/billing-helpers.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let fakeAnthropic: FakeAnthropic;
let fakeOpenAI: FakeOpenAI;
let key: string;
let accountId: string;

const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch';

beforeAll(async () => {
  [fakeAnthropic, fakeOpenAI] = await Promise.all([startFakeAnthropic(), startFakeOpenAI()]);
  server = await startTestServer(
    mockConfig({
      providers: [
        { name: 'local-mock', type: 'mock' },
        { name: 'slow-mock', type: 'mock', tokens_per_second: 40, reply: Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ') },
        { name: 'ant', type: 'anthropic', base_url: fakeAnthropic.url, api_key: 'sk-upstream-anthropic', timeout_ms: 5000 },
        { name: 'oai', type: 'openai', base_url: fakeOpenAI.url, api_key: 'sk-upstream-openai', timeout_ms: 5000 },
      ],
      models: [
        { id: 'mock-fast', provider: 'local-mock', categories: ['text', 'code'] },
        { id: 'slow', provider: 'slow-mock', pricing: { input_per_1m: 1, output_per_1m: 100 } },
        { id: 'claude-sonnet', provider: 'ant', upstream_model: 'claude-sonnet-4-20250514', pricing: { input_per_1m: 3, output_per_1m: 15 } },
        { id: 'gpt-4o', provider: 'oai', upstream_model: 'gpt-4o-2024-08-06', pricing: { input_per_1m: 2.5, output_per_1m: 10 } },
      ],
      routing: { categories: { text: { policy: 'fixed', models: ['mock-fast'] } } },
    }),
  );
  ({ key, accountId } = await fundedKey(server, 'clients-user', 10));
});

afterAll(async () => {
  await server?.close();
  await Promise.all([fakeAnthropic?.close(), fakeOpenAI?.close()]);
});

interface Sse {
  readonly event: string;
  readonly data: { type: string; [key: string]: unknown };
}

async function streamResponses(body: Record<string, unknown>): Promise<Sse[]> {
  const res = await fetch(`${server.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))!.slice(7);
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as Sse['data'];
      return { event, data };
    });
}

const CODEX_TOOLS = [
  {
    type: 'function',
    name: 'shell',
    description: 'Runs a shell command and returns its output.',
    strict: false,
    parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } }, workdir: { type: 'string' } }, required: ['command'] },
  },
  {
    type: 'custom',
    name: 'apply_patch',
    description: 'Use the `apply_patch` tool to edit files.',
    format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch hunk+ end_patch' },
  },
  { type: 'web_search' },
];

function codexBody(input: unknown[]): Record<string, unknown> {
  return {
    model: 'claude-sonnet',
    instructions: 'You are a coding agent running in the Codex CLI.',
    input,
    tools: CODEX_TOOLS,
    tool_choice: 'auto',
    parallel_tool_calls: false,
    reasoning: null,
    store: false,
    stream: true,
    include: [],
    prompt_cache_key: '0199a1b2-c3d4-7e8f-9a0b-1c2d3e4f5a6b',
  };
}

describe('Codex CLI turns on an Anthropic-backed model', () => {
  it('a custom-tool (apply_patch) call streams out as a custom_tool_call item, and its output goes back upstream', async () => {
    fakeAnthropic.setBehaviour({ kind: 'ok', toolCall: { name: 'apply_patch', input: { input: PATCH } } });
    const userTurn = [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<environment_context>cwd=/tmp</environment_context>' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Create hello.txt' }] },
    ];
    const events = await streamResponses(codexBody(userTurn));
    expect(events[0]!.event).toBe('response.created');
    expect(events.at(-1)!.event).toBe('response.completed');
    expect(events.every((e) => e.event === e.data.type)).toBe(true);
    const done = events.filter((e) => e.event === 'response.output_item.done').map((e) => e.data['item'] as Record<string, unknown>);
    const call = done.find((item) => item['type'] === 'custom_tool_call')!;
    expect(call).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch', input: PATCH, status: 'completed' });
    const completed = events.at(-1)!.data['response'] as { id: string; usage: { input_tokens: number; output_tokens: number; total_tokens: number } };
    expect(completed.id).toMatch(/^resp_/);
    expect(completed.usage.output_tokens).toBeGreaterThan(0);

    // Anthropic saw the custom tool as a function with one string argument.
    const first = fakeAnthropic.requests.at(-1)!.body as { tools: { name: string; input_schema: unknown }[]; system?: unknown };
    expect(first.tools.map((t) => t.name)).toEqual(['shell', 'apply_patch']);
    expect(JSON.stringify(first.system)).toContain('Codex CLI');
    expect(JSON.stringify(first.system)).toContain('environment_context');

    // Codex sends the whole history back (store:false), with the tool's output.
    fakeAnthropic.setBehaviour({ kind: 'ok', text: 'Created hello.txt.' });
    const next = await streamResponses(
      codexBody([
        ...userTurn,
        { type: 'custom_tool_call', status: 'completed', call_id: call['call_id'], name: 'apply_patch', input: PATCH },
        { type: 'custom_tool_call_output', call_id: call['call_id'], output: 'Success. Updated the following files:\nA hello.txt' },
      ]),
    );
    const text = next
      .filter((e) => e.event === 'response.output_text.delta')
      .map((e) => e.data['delta'])
      .join('');
    expect(text).toBe('Created hello.txt.');
    const upstream = fakeAnthropic.requests.at(-1)!.body as { messages: { role: string; content: { type: string; tool_use_id?: string; id?: string }[] }[] };
    const blocks = upstream.messages.flatMap((m) => m.content);
    expect(blocks.find((b) => b.type === 'tool_use')?.id).toBe(call['call_id']);
    expect(blocks.find((b) => b.type === 'tool_result')?.tool_use_id).toBe(call['call_id']);
  });
});

/** Codex CLI 0.171.0 as captured by the "clients" helper (/work/wt/notes/client-shapes.md), trimmed. */
function codex171(model: string, extra: unknown[] = []): Record<string, unknown> {
  return {
    model,
    stream: true,
    store: false,
    tool_choice: 'auto',
    parallel_tool_calls: true,
    reasoning: { effort: 'medium' },
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: '01a2380b-0000-7000-8000-000000000000',
    text: { verbosity: 'low' },
    client_metadata: { turn_id: 't1', thread_id: 'th1', session_id: 's1' },
    input: [
      { type: 'message', id: 'msg_82ac01', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex, a coding agent.' }] },
      { type: 'message', id: 'msg_82ac02', role: 'user', content: [{ type: 'input_text', text: '<environment_context>cwd=/tmp</environment_context>' }] },
      { type: 'message', id: 'msg_82ac03', role: 'user', content: [{ type: 'input_text', text: 'run the echo' }] },
      ...extra,
    ],
    tools: [
      {
        type: 'function',
        name: 'exec_command',
        description: 'Runs a command in a PTY.',
        strict: false,
        parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'], additionalProperties: false },
      },
      { type: 'custom', name: 'apply_patch', description: 'FREEFORM', format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch' } },
      { type: 'tool_search', execution: 'client', description: 'Search tools', parameters: { type: 'object', properties: {} } },
      { type: 'web_search', external_web_access: true, search_content_types: ['text', 'image'] },
    ],
  };
}

describe.each([
  ['openai', 'gpt-4o'],
  ['anthropic', 'claude-sonnet'],
])('Codex CLI 0.171.0 tool loop on a %s-backed model', (kind, model) => {
  it('exec_command call out, its output back, final text', async () => {
    if (kind === 'openai') fakeOpenAI.setBehaviour({ kind: 'ok', toolCall: { name: 'exec_command', arguments: '{"cmd":"echo CODEX-TOOL-42"}' } });
    else fakeAnthropic.setBehaviour({ kind: 'ok', toolCall: { name: 'exec_command', input: { cmd: 'echo CODEX-TOOL-42' } } });
    const first = await streamResponses(codex171(model));
    const call = first.filter((e) => e.event === 'response.output_item.done').map((e) => e.data['item'] as Record<string, unknown>)[0]!;
    expect(call).toMatchObject({ type: 'function_call', name: 'exec_command', status: 'completed' });
    expect(JSON.parse(call['arguments'] as string)).toEqual({ cmd: 'echo CODEX-TOOL-42' });
    expect(first.at(-1)!.event).toBe('response.completed');

    if (kind === 'openai') fakeOpenAI.setBehaviour({ kind: 'ok', text: 'Printed CODEX-TOOL-42.' });
    else fakeAnthropic.setBehaviour({ kind: 'ok', text: 'Printed CODEX-TOOL-42.' });
    const second = await streamResponses(
      codex171(model, [
        { type: 'function_call', status: 'completed', id: call['id'], name: 'exec_command', arguments: call['arguments'], call_id: call['call_id'] },
        { type: 'function_call_output', id: 'fco_01a2', call_id: call['call_id'], output: 'Process exited with code 0\nOutput:\nCODEX-TOOL-42\n' },
      ]),
    );
    const text = second
      .filter((e) => e.event === 'response.output_text.delta')
      .map((e) => e.data['delta'])
      .join('');
    expect(text).toBe('Printed CODEX-TOOL-42.');
    const upstream = JSON.stringify(kind === 'openai' ? fakeOpenAI.requests.at(-1)!.body : fakeAnthropic.requests.at(-1)!.body);
    expect(upstream).toContain('You are Codex');
    expect(upstream).toContain(String(call['call_id']));
    expect(upstream).toContain('CODEX-TOOL-42');
  });
});

describe('AI SDK style item_reference', () => {
  it('an item_reference resolves to the stored output item of the same account', async () => {
    fakeAnthropic.setBehaviour({ kind: 'ok', text: 'The capital is Paris.' });
    const client = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const first = await client.responses.create({ model: 'claude-sonnet', input: 'Capital of France?' });
    const messageId = first.output[0]!.id!;
    fakeAnthropic.setBehaviour({ kind: 'ok', text: 'About 2 million.' });
    const second = await client.responses.create({
      model: 'claude-sonnet',
      input: [
        { role: 'user', content: 'Capital of France?' },
        { type: 'item_reference', id: messageId },
        { role: 'user', content: 'Population?' },
      ],
    });
    expect(second.output_text).toBe('About 2 million.');
    const upstream = fakeAnthropic.requests.at(-1)!.body as { messages: { role: string }[] };
    expect(upstream.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(upstream.messages[1])).toContain('The capital is Paris.');

    const stranger = await fundedKey(server, 'clients-stranger', 1);
    const other = new OpenAI({ apiKey: stranger.key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    await expect(
      other.responses.create({
        model: 'claude-sonnet',
        input: [
          { type: 'item_reference', id: messageId },
          { role: 'user', content: 'x' },
        ],
      }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('a client that hangs up mid-stream', () => {
  it('aborts the upstream and is billed for the tokens produced', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': 'responses-hangup-01' },
      body: JSON.stringify({ model: 'slow', input: 'Tell me a long story', stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('response.output_text.delta')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await expect
      .poll(async () => (await ledgerRows(server, accountId)).find((r) => r.request_id === 'responses-hangup-01'), { timeout: 5000 })
      .toMatchObject({ type: 'usage', model: 'slow' });
    const row = (await ledgerRows(server, accountId)).find((r) => r.request_id === 'responses-hangup-01')!;
    // 200 words at 40/s would take 5 s: far fewer were produced (and billed) before the hang-up.
    expect(row.output_tokens).toBeGreaterThan(0);
    expect(row.output_tokens).toBeLessThan(150);
    expect(row.amount_micros).toBeLessThan(0);
  });
});
