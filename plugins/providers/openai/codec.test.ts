import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import type { ChatRequest, StreamEvent } from '../../../src/formats/canonical.js';
import { decodeOpenAIResponse } from './decode-response.js';
import { createOpenAIStreamDecoder } from './decode-stream.js';
import { encodeOpenAIRequest } from './encode-request.js';
import { mapOpenAIError } from './map-error.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}
function fixtureJson(name: string): unknown {
  return JSON.parse(fixture(name)) as unknown;
}
function replay(payloads: readonly string[]): StreamEvent[] {
  const d = createOpenAIStreamDecoder();
  return [...payloads.flatMap((p) => d.push(p)), ...d.end()];
}

const base: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 100, stream: false };

describe('encodeOpenAIRequest', () => {
  it('encodes a minimal request', () => {
    expect(encodeOpenAIRequest(base)).toEqual({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100, stream: false });
  });

  it('encodes every message role and part', () => {
    const body = encodeOpenAIRequest({
      ...base,
      messages: [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Be brief.' },
            { type: 'text', text: 'Be kind.' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is here?' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{"q":"a"}' },
            { type: 'tool-call', id: 'call_2', name: 'lookup', arguments: '{"q":"b"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', content: 'A' },
            { type: 'tool-result', toolCallId: 'call_2', content: 'B' },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_3', name: 'lookup', arguments: '{}' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.\nBe kind.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is here?' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"a"}' } },
          { id: 'call_2', type: 'function', function: { name: 'lookup', arguments: '{"q":"b"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'A' },
      { role: 'tool', tool_call_id: 'call_2', content: 'B' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
      { role: 'assistant', content: 'Done.' },
    ]);
  });

  it.each([
    [{ type: 'auto' } as const, 'auto'],
    [{ type: 'none' } as const, 'none'],
    [{ type: 'required' } as const, 'required'],
    [{ type: 'tool', name: 'f' } as const, { type: 'function', function: { name: 'f' } }],
  ])('maps tool_choice %j', (choice, wire) => {
    expect(encodeOpenAIRequest({ ...base, toolChoice: choice }).tool_choice).toEqual(wire);
  });

  it('encodes sampling, tools, response_format, user and streaming options', () => {
    const body = encodeOpenAIRequest(
      {
        ...base,
        stream: true,
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        user: 'u1',
        parallelToolCalls: false,
        tools: [
          { name: 'f', description: 'does f', parameters: { type: 'object', properties: {} } },
          { name: 'g', parameters: { type: 'object' } },
        ],
        responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      },
      { streamUsage: true },
    );
    expect(body).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      user: 'u1',
      parallel_tool_calls: false,
      stream: true,
      stream_options: { include_usage: true },
      tools: [
        { type: 'function', function: { name: 'f', description: 'does f', parameters: { type: 'object', properties: {} } } },
        { type: 'function', function: { name: 'g', parameters: { type: 'object' } } },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
    });
    expect(encodeOpenAIRequest({ ...base, stream: true }, { streamUsage: false }).stream_options).toBeUndefined();
    expect(encodeOpenAIRequest({ ...base, responseFormat: { type: 'json_object' } }).response_format).toEqual({ type: 'json_object' });
  });

  it('drops parallel_tool_calls without tools (OpenAI rejects it)', () => {
    expect(encodeOpenAIRequest({ ...base, parallelToolCalls: true }).parallel_tool_calls).toBeUndefined();
  });
});

describe('decodeOpenAIResponse', () => {
  it('decodes a text completion', () => {
    expect(decodeOpenAIResponse('openai', fixtureJson('chat-text.json'))).toEqual({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      content: [{ type: 'text', text: 'Hello! How can I assist you today?' }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: 19, outputTokens: 10 },
    });
  });

  it('decodes a tool-call completion with cached tokens', () => {
    expect(decodeOpenAIResponse('openai', fixtureJson('chat-tool-call.json'))).toEqual({
      id: 'chatcmpl-abc123',
      content: [{ type: 'tool-call', id: 'call_abc123', name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' }],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage: { inputTokens: 82, outputTokens: 17, cacheReadTokens: 64 },
    });
  });

  it.each([
    ['length', 'length'],
    ['content_filter', 'content-filter'],
    ['function_call', 'tool-calls'],
    ['eos', 'other'],
  ])('maps finish_reason %s → %s', (raw, unified) => {
    const r = decodeOpenAIResponse('openai', { choices: [{ message: { content: 'x' }, finish_reason: raw }] });
    expect(r.finishReason).toEqual({ unified, raw });
    expect(r.usage).toBeNull();
  });

  it('copes with compatible-server quirks: no ids, object arguments, reasoning tokens', () => {
    const r = decodeOpenAIResponse('openai', {
      choices: [{ message: { content: '', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] }, finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 3, completion_tokens: 4, completion_tokens_details: { reasoning_tokens: 2 } },
    });
    expect(r.content).toEqual([{ type: 'tool-call', id: 'call_0', name: 'f', arguments: '{"a":1}' }]);
    expect(r.usage).toEqual({ inputTokens: 3, outputTokens: 4, reasoningTokens: 2 });
  });

  it.each([
    null,
    'text',
    [],
    {},
    { choices: [] },
    { choices: [{}] },
    { choices: [{ message: { content: 5 } }] },
    { choices: [{ message: { tool_calls: [{}] } }] },
  ])('rejects malformed body %j', (body) => {
    expect(() => decodeOpenAIResponse('openai', body)).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});

describe('createOpenAIStreamDecoder', () => {
  it('replays a streamed text answer, usage after finish_reason', () => {
    expect(replay(fixtureJson('stream-text.json') as string[])).toEqual([
      { type: 'start', id: 'chatcmpl-7Q3Yd' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      { type: 'text-delta', text: ' How can I help?' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 9, outputTokens: 7 } },
    ]);
  });

  it('replays parallel tool calls', () => {
    expect(replay(fixtureJson('stream-parallel-tools.json') as string[])).toEqual([
      { type: 'start', id: 'chatcmpl-9pT' },
      { type: 'tool-call-start', index: 0, id: 'call_Paris', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"loc' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ation": "Paris"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'call_Tokyo', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"location"' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: ': "Tokyo"}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: { inputTokens: 70, outputTokens: 44 } },
    ]);
  });

  it('numbers calls that all claim index 0 by id, and complete calls in one chunk', () => {
    const chunk = (id: string, args: string) =>
      JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id, function: { name: 'f', arguments: args } }] } }] });
    const events = replay([chunk('a', '{"x":1}'), chunk('b', '{"x":2}'), JSON.stringify({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] })]);
    expect(events).toEqual([
      { type: 'start' },
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x":1}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'b', name: 'f' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"x":2}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: null },
    ]);
  });

  it('ignores empty-choices chunks without usage and anything after [DONE]', () => {
    const d = createOpenAIStreamDecoder();
    expect(d.push('{"id":"x","choices":[]}')).toEqual([{ type: 'start', id: 'x' }]);
    expect(d.push('{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"length"}]}')).toEqual([{ type: 'text-delta', text: 'a' }]);
    expect(d.push('[DONE]')).toEqual([{ type: 'finish', finishReason: { unified: 'length', raw: 'length' }, usage: null }]);
    expect(d.push('{"choices":[{"delta":{"content":"late"}}]}')).toEqual([]);
    expect(d.end()).toEqual([]);
  });

  it('finishes at end() when [DONE] is missing but finish_reason came', () => {
    const d = createOpenAIStreamDecoder();
    d.push('{"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]}');
    expect(d.end()).toEqual([{ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: null }]);
  });

  it.each([
    ['a cut-off stream', ['{"choices":[{"delta":{"content":"a"}}]}'], 'upstream_unavailable'],
    ['a non-JSON chunk', ['{oops'], 'upstream_bad_response'],
    ['an empty stream', ['[DONE]'], 'upstream_bad_response'],
    ['a mid-stream error', ['{"error":{"message":"overloaded","type":"server_error"}}'], 'upstream_unavailable'],
    ['a mid-stream context error', ['{"error":{"message":"too long","code":"context_length_exceeded"}}'], 'context_length_exceeded'],
  ])('throws on %s', (_name, payloads, code) => {
    expect(() => replay(payloads)).toThrow(expect.objectContaining({ code }));
  });
});

describe('mapOpenAIError', () => {
  it.each([
    [429, 'error-rate-limit.json', 'upstream_rate_limited', 429],
    [400, 'error-context-length.json', 'context_length_exceeded', 400],
    [500, '', 'upstream_unavailable', 500],
    [503, '<html>bad gateway</html>', 'upstream_unavailable', 503],
    [408, '', 'upstream_timeout', 504],
    [404, '{"error":{"message":"The model `x` does not exist","code":"model_not_found"}}', 'upstream_error', 404],
    [401, 'error-invalid-key.json', 'upstream_unavailable', 502],
  ])('HTTP %i %s → %s', (status, body, code, outStatus) => {
    const text = body.endsWith('.json') ? fixture(body) : body;
    const err = mapOpenAIError('openai', status, text);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.code).toBe(code);
    expect(err.status).toBe(outStatus);
    expect(err.provider).toBe('openai');
  });

  it('passes the upstream message on, never raw bodies or keys', () => {
    expect(mapOpenAIError('openai', 429, fixture('error-rate-limit.json')).message).toMatch(/^Rate limit reached for gpt-4o/);
    expect(mapOpenAIError('openai', 503, '<html>secret stuff</html>').message).toBe('Provider openai answered HTTP 503');
    expect(mapOpenAIError('openai', 401, fixture('error-invalid-key.json')).message).not.toMatch(/sk-|abcd/);
    expect(mapOpenAIError('openai', 400, '{"error":{"message":"bad key sk-abcdef1234567890 here"}}').message).toBe('bad key [redacted] here');
  });

  it('recognises context errors of servers without a code (vLLM)', () => {
    const body = JSON.stringify({ object: 'error', message: "This model's maximum context length is 4096 tokens.", code: 400 });
    expect(mapOpenAIError('openai', 400, body).code).toBe('context_length_exceeded');
  });
});
