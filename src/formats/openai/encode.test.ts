import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { Stream } from 'openai/streaming';
import { describe, expect, it } from 'vitest';
import { GatewayError, type ErrorCode } from '../../errors.js';
import type { ChatResult, StreamEvent } from '../canonical.js';
import { encodeOpenAIError } from './encode-error.js';
import { encodeOpenAIChatResult } from './encode-result.js';
import { OpenAIStreamEncoder } from './encode-stream.js';

const meta = { id: 'chatcmpl-sb1', model: 'gpt-4o', created: 1_700_000_000 };
const usage = { inputTokens: 12, outputTokens: 5 };

function render(events: readonly StreamEvent[], includeUsage: boolean): string {
  const enc = new OpenAIStreamEncoder({ ...meta, includeUsage });
  return events.map((e) => enc.encode(e)).join('') + enc.done();
}

/** Parse SSE text exactly as the official SDK does for `stream: true`. */
async function sdkChunks(sse: string): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const c of Stream.fromSSEResponse<ChatCompletionChunk>(new Response(sse), new AbortController())) out.push(c);
  return out;
}

/** The SDK's own accumulator: throws when chunks are not a consistent ChatCompletion stream. */
async function sdkFinal(sse: string): Promise<ChatCompletion> {
  const stream = Stream.fromSSEResponse<ChatCompletionChunk>(new Response(sse), new AbortController());
  return ChatCompletionStream.fromReadableStream(stream.toReadableStream()).finalChatCompletion();
}

describe('encodeOpenAIChatResult', () => {
  it.each<[string, ChatResult, unknown]>([
    [
      'text',
      {
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: ' there' },
        ],
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage,
      },
      { message: { role: 'assistant', content: 'Hi there', refusal: null }, finish_reason: 'stop' },
    ],
    [
      'tool calls only',
      {
        content: [{ type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' }],
        finishReason: { unified: 'tool-calls', raw: 'tool_use' },
        usage,
      },
      {
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        },
        finish_reason: 'tool_calls',
      },
    ],
    [
      'length',
      { content: [{ type: 'text', text: 'cut' }], finishReason: { unified: 'length', raw: 'max_tokens' }, usage },
      { message: { content: 'cut' }, finish_reason: 'length' },
    ],
    [
      'content filter',
      { content: [], finishReason: { unified: 'content-filter', raw: 'SAFETY' }, usage },
      { message: { content: '' }, finish_reason: 'content_filter' },
    ],
    [
      'tool calls with a plain stop',
      {
        content: [
          { type: 'text', text: 'x' },
          { type: 'tool-call', id: 'c', name: 'f', arguments: '{}' },
        ],
        finishReason: { unified: 'stop', raw: 'STOP' },
        usage,
      },
      { message: { content: 'x' }, finish_reason: 'tool_calls' },
    ],
  ])('%s', (_name, result, choice) => {
    const body = encodeOpenAIChatResult(result, meta);
    expect(body).toMatchObject({ id: 'chatcmpl-sb1', object: 'chat.completion', created: 1_700_000_000, model: 'gpt-4o' });
    expect(body.choices).toHaveLength(1);
    expect(body.choices[0]).toMatchObject({ index: 0, logprobs: null, ...(choice as object) });
    expect(body.usage).toEqual({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
    const typed: ChatCompletion = body; // structurally a valid SDK ChatCompletion
    expect(typed.choices[0]?.message.role).toBe('assistant');
  });

  it('usage: null → zeros; cache and reasoning details', () => {
    const base = { content: [], finishReason: { unified: 'stop', raw: null } } as const;
    expect(encodeOpenAIChatResult({ ...base, usage: null }, meta).usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    expect(encodeOpenAIChatResult({ ...base, usage: { inputTokens: 10, outputTokens: 4, cacheReadTokens: 8, reasoningTokens: 2 } }, meta).usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 4,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 8 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
  });
});

describe('OpenAIStreamEncoder', () => {
  const textEvents: StreamEvent[] = [
    { type: 'start', id: 'up-1' },
    { type: 'text-delta', text: 'Hel' },
    { type: 'text-delta', text: '' },
    { type: 'text-delta', text: 'lo' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
  ];

  it('writes text deltas byte for byte as JSON.stringify of the chunk object (the string fast path)', () => {
    const texts = [
      'plain',
      'quote " backslash \\ slash /',
      'line\nbreak\ttab\r',
      'ctrl \u0001\u001f',
      'émoji 🚀 — 中文',
      '\u2028\u2029',
      'lone \ud800 surrogate',
    ];
    for (const includeUsage of [false, true]) {
      for (const id of ['chatcmpl-sb1', 'id "quoted"']) {
        const enc = new OpenAIStreamEncoder({ ...meta, id, includeUsage });
        enc.encode({ type: 'start' });
        enc.encode({ type: 'text-delta', text: 'first' });
        for (const text of texts) {
          const expected = {
            id,
            object: 'chat.completion.chunk',
            created: meta.created,
            model: meta.model,
            choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }],
          };
          expect(enc.encode({ type: 'text-delta', text })).toBe(`data: ${JSON.stringify(expected)}\n\n`);
        }
      }
    }
  });

  it('renders a text stream as SSE the SDK parses, with the usage chunk last', async () => {
    const sse = render(textEvents, true);
    expect(sse.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = await sdkChunks(sse);
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([{ role: 'assistant', content: '' }, { content: 'Hel' }, { content: 'lo' }, {}, null]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, null, 'stop', null]);
    expect(chunks.slice(0, -1).every((c) => !('usage' in c))).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } });
    for (const c of chunks) expect(c).toMatchObject({ id: 'chatcmpl-sb1', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o' });
    const final = await sdkFinal(sse);
    expect(final.choices[0]?.message.content).toBe('Hello');
    expect(final.usage?.total_tokens).toBe(17);
  });

  it('omits usage entirely without include_usage', async () => {
    const chunks = await sdkChunks(render(textEvents, false));
    expect(chunks).toHaveLength(4);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('renders parallel tool calls the SDK accumulates', async () => {
    const events: StreamEvent[] = [
      { type: 'start' },
      { type: 'text-delta', text: 'Checking.' },
      { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'call_b', name: 'get_time' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' }, usage },
    ];
    const sse = render(events, true);
    const chunks = await sdkChunks(sse);
    expect(chunks[2]?.choices[0]?.delta).toEqual({
      tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }],
    });
    expect(chunks[3]?.choices[0]?.delta).toEqual({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] });
    const final = await sdkFinal(sse);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message).toMatchObject({
      content: 'Checking.',
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
  });

  it('sends the role on the first chunk even without a start event, and nothing after finish', () => {
    const enc = new OpenAIStreamEncoder({ ...meta, includeUsage: false });
    const first = JSON.parse(enc.encode({ type: 'text-delta', text: 'a' }).slice(6)) as ChatCompletionChunk;
    expect(first.choices[0]?.delta).toEqual({ role: 'assistant', content: 'a' });
    expect(enc.encode({ type: 'start' })).toBe('');
    enc.encode({ type: 'finish', finishReason: { unified: 'other', raw: null }, usage: null });
    expect(enc.encode({ type: 'text-delta', text: 'late' })).toBe('');
  });

  it('renders a mid-stream error the SDK raises as an APIError', async () => {
    const enc = new OpenAIStreamEncoder({ ...meta, includeUsage: false });
    const err = new GatewayError('upstream_unavailable', 'Provider x is unreachable');
    const errText = enc.encode({ type: 'error', error: err });
    expect(JSON.parse(errText.slice(6))).toEqual({ error: { message: 'Provider x is unreachable', type: 'server_error', code: 'upstream_unavailable' } });
    const fresh = new OpenAIStreamEncoder({ ...meta, includeUsage: false });
    const sse = fresh.encode({ type: 'start' }) + fresh.error(err);
    await expect(sdkChunks(sse)).rejects.toThrow('Provider x is unreachable');
    expect(fresh.encode({ type: 'text-delta', text: 'after' })).toBe('');
  });
});

describe('encodeOpenAIError', () => {
  it.each<[ErrorCode, number, string, string]>([
    ['request_invalid', 400, 'invalid_request_error', 'request_invalid'],
    ['model_not_found', 400, 'invalid_request_error', 'model_not_found'],
    ['auth_invalid', 401, 'authentication_error', 'invalid_api_key'],
    ['insufficient_credits', 402, 'insufficient_quota', 'insufficient_credits'],
    ['forbidden', 403, 'permission_error', 'forbidden'],
    ['rate_limited', 429, 'rate_limit_exceeded', 'rate_limit_exceeded'],
    ['upstream_rate_limited', 429, 'rate_limit_exceeded', 'rate_limit_exceeded'],
    ['context_length_exceeded', 400, 'invalid_request_error', 'context_length_exceeded'],
    ['upstream_unavailable', 502, 'server_error', 'upstream_unavailable'],
    ['upstream_timeout', 504, 'server_error', 'upstream_timeout'],
  ])('%s → %i %s %s', (code, status, type, wireCode) => {
    expect(encodeOpenAIError(new GatewayError(code, 'msg'))).toEqual({ status, body: { error: { message: 'msg', type, code: wireCode, param: null } } });
  });

  it('keeps an overridden status and hides internal details', () => {
    expect(encodeOpenAIError(new GatewayError('all_attempts_failed', 'x', { status: 429 })).status).toBe(429);
    expect(encodeOpenAIError(new GatewayError('internal', 'db exploded at /secret/path')).body.error.message).toBe('Internal server error');
  });
});
