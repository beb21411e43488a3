/**
 * OpenAI request → canonical (client edge) → OpenAI request (provider encoder): what a client
 * sends to Switchboard reaches an OpenAI-compatible upstream with the same meaning.
 */
import { readFileSync } from 'node:fs';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { Stream } from 'openai/streaming';
import { describe, expect, it } from 'vitest';
import { decodeOpenAIResponse } from '../../../plugins/providers/openai/decode-response.js';
import { createOpenAIStreamDecoder } from '../../../plugins/providers/openai/decode-stream.js';
import { encodeOpenAIRequest } from '../../../plugins/providers/openai/encode-request.js';
import { decodeOpenAIChatRequest } from './decode-request.js';
import { encodeOpenAIChatResult } from './encode-result.js';
import { OpenAIStreamEncoder } from './encode-stream.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../plugins/providers/openai/__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
}

function roundTrip(body: Record<string, unknown>, streamUsage = true): unknown {
  return encodeOpenAIRequest(decodeOpenAIChatRequest(body).request, { streamUsage });
}

const tools = [
  {
    type: 'function',
    function: { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
];

describe('OpenAI → canonical → OpenAI', () => {
  it('keeps a full tool conversation with images', () => {
    const messages = [
      { role: 'system', content: 'You are terse.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather where this photo is?' },
          { type: 'image_url', image_url: { url: 'https://example.com/p.jpg' } },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18C' },
      { role: 'tool', tool_call_id: 'call_2', content: '21C' },
      { role: 'assistant', content: 'Paris 18C, Lyon 21C.' },
      { role: 'user', content: 'Thanks' },
    ];
    const body = {
      model: 'gpt-4o',
      messages,
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: true,
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 300,
      stop: ['\n\n'],
      user: 'end-user-1',
      response_format: { type: 'json_schema', json_schema: { name: 'w', schema: { type: 'object' }, strict: true } },
      stream: false,
    };
    expect(roundTrip(body)).toEqual(body);
  });

  it('normalises what the canonical model does not keep apart', () => {
    expect(
      roundTrip({
        messages: [
          { role: 'developer', content: [{ type: 'text', text: 'Rules.' }] },
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        ],
        stop: 'END',
        max_completion_tokens: 64,
        stream: true,
        stream_options: { include_usage: false },
        seed: 7,
      }),
    ).toEqual({
      model: 'auto',
      messages: [
        { role: 'system', content: 'Rules.' },
        { role: 'user', content: 'hi' },
      ],
      max_tokens: 64,
      temperature: 0.2,
      stop: ['END'],
      stream: true,
      // The gateway always wants usage from the upstream, whatever the client asked for.
      stream_options: { include_usage: true },
    });
  });

  it.each(['auto', 'none', 'required'])('tool_choice %s', (choice) => {
    expect(roundTrip({ messages: [{ role: 'user', content: 'x' }], tools, tool_choice: choice })).toMatchObject({ tools, tool_choice: choice });
  });
});

describe('upstream OpenAI answer → canonical → client OpenAI answer', () => {
  const meta = { id: 'chatcmpl-sb', model: 'gpt-4o', created: 1 };

  it.each(['chat-text.json', 'chat-tool-call.json'])('%s keeps message, finish_reason and usage', (name) => {
    const upstream = fixture(name) as {
      choices: [{ message: Record<string, unknown>; finish_reason: string }];
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    const out = encodeOpenAIChatResult(decodeOpenAIResponse('openai', upstream), meta);
    const { content, tool_calls } = upstream.choices[0].message;
    expect(out.choices[0]?.message).toEqual({ role: 'assistant', content, refusal: null, ...(tool_calls !== undefined ? { tool_calls } : {}) });
    expect(out.choices[0]?.finish_reason).toBe(upstream.choices[0].finish_reason);
    expect(out.usage).toMatchObject({
      prompt_tokens: upstream.usage.prompt_tokens,
      completion_tokens: upstream.usage.completion_tokens,
      total_tokens: upstream.usage.total_tokens,
    });
  });

  it('a streamed parallel tool-call answer survives decode → encode and the SDK accumulator', async () => {
    const decoder = createOpenAIStreamDecoder();
    const encoder = new OpenAIStreamEncoder({ ...meta, includeUsage: true });
    let sse = '';
    for (const data of fixture('stream-parallel-tools.json') as string[]) for (const ev of decoder.push(data)) sse += encoder.encode(ev);
    for (const ev of decoder.end()) sse += encoder.encode(ev);
    sse += encoder.done();
    const stream = Stream.fromSSEResponse<ChatCompletionChunk>(new Response(sse), new AbortController());
    const final = await ChatCompletionStream.fromReadableStream(stream.toReadableStream()).finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_Paris', type: 'function', function: { name: 'get_weather', arguments: '{"location": "Paris"}' } },
      { id: 'call_Tokyo', type: 'function', function: { name: 'get_weather', arguments: '{"location": "Tokyo"}' } },
    ]);
    expect(final.usage).toMatchObject({ prompt_tokens: 70, completion_tokens: 44, total_tokens: 114 });
  });
});
