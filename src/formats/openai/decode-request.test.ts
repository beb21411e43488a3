import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import { decodeOpenAIChatRequest } from './decode-request.js';

const user = { role: 'user', content: 'hi' };
const decode = (body: Record<string, unknown>) => decodeOpenAIChatRequest({ messages: [user], ...body });

describe('decodeOpenAIChatRequest: defaults and fields', () => {
  it('applies the contract defaults', () => {
    expect(decodeOpenAIChatRequest({ messages: [user] })).toEqual({
      request: { model: 'auto', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 2048, temperature: 0.2, stream: false },
      includeUsage: false,
    });
  });

  it('treats null like absent', () => {
    const { request } = decode({ model: null, temperature: null, max_tokens: null, stream: null, tools: null, tool_choice: null, stop: null, user: null });
    expect(request).toMatchObject({ model: 'auto', temperature: 0.2, maxTokens: 2048, stream: false });
    expect(request).not.toHaveProperty('tools');
  });

  it.each([
    [{ model: 'gpt-4o' }, { model: 'gpt-4o' }],
    [{ temperature: 0 }, { temperature: 0 }],
    [{ temperature: 2 }, { temperature: 2 }],
    [{ max_tokens: 10 }, { maxTokens: 10 }],
    [{ max_completion_tokens: 20, max_tokens: 10 }, { maxTokens: 20 }],
    [{ top_p: 0.5 }, { topP: 0.5 }],
    [{ stop: 'END' }, { stop: ['END'] }],
    [{ stop: ['a', 'b'] }, { stop: ['a', 'b'] }],
    [{ parallel_tool_calls: false }, { parallelToolCalls: false }],
    [{ user: 'u-1' }, { user: 'u-1' }],
    [{ stream: true }, { stream: true }],
    [{ response_format: { type: 'json_object' } }, { responseFormat: { type: 'json_object' } }],
    [
      { response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } } },
      { responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
    ],
    [{ seed: 1, logprobs: false, frequency_penalty: 0, metadata: { a: 'b' }, n: 1 }, {}],
  ])('decodes %j', (body, expected) => {
    expect(decode(body).request).toMatchObject(expected);
  });

  it('includeUsage only when streaming with include_usage', () => {
    expect(decode({ stream: true, stream_options: { include_usage: true } }).includeUsage).toBe(true);
    expect(decode({ stream: false, stream_options: { include_usage: true } }).includeUsage).toBe(false);
    expect(decode({ stream: true }).includeUsage).toBe(false);
  });

  it('decodes tools and tool_choice', () => {
    const tools = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      { type: 'function', function: { name: 'noop' } },
    ];
    const { request } = decode({ tools, tool_choice: { type: 'function', function: { name: 'noop' } } });
    expect(request.tools).toEqual([
      { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'noop', parameters: { type: 'object', properties: {} } },
    ]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'noop' });
    for (const c of ['auto', 'none', 'required'] as const) expect(decode({ tools, tool_choice: c }).request.toolChoice).toEqual({ type: c });
  });

  it('maps legacy functions / function_call', () => {
    const { request } = decode({ functions: [{ name: 'f', parameters: { type: 'object' } }], function_call: { name: 'f' } });
    expect(request.tools).toEqual([{ name: 'f', parameters: { type: 'object' } }]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'f' });
  });
});

describe('decodeOpenAIChatRequest: messages', () => {
  it('decodes every role and part', () => {
    const { request } = decodeOpenAIChatRequest({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'system', content: [{ type: 'text', text: 'Be kind.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/PNG;base64,iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"a":1}' } },
            { id: 'call_2', type: 'function', function: { name: 'zoom', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'zoomed' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'system', content: [{ type: 'text', text: 'Be kind.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', id: 'call_1', name: 'look', arguments: '{"a":1}' },
          { type: 'tool-call', id: 'call_2', name: 'zoom', arguments: '{}' },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'call_1', toolName: 'look', content: 'a cat' },
          { type: 'tool-result', toolCallId: 'call_2', toolName: 'zoom', content: 'zoomed' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }] },
    ]);
  });

  it('maps legacy function calls and function messages', () => {
    const { request } = decodeOpenAIChatRequest({
      messages: [user, { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } }, { role: 'function', name: 'f', content: 'ok' }],
    });
    expect(request.messages.slice(1)).toEqual([
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_legacy_1', name: 'f', arguments: '{}' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_legacy_1', toolName: 'f', content: 'ok' }] },
    ]);
  });
});

describe('decodeOpenAIChatRequest: invalid bodies', () => {
  it.each<[unknown, string]>([
    [null, 'body: must be a JSON object'],
    [[], 'body: must be a JSON object'],
    [{}, 'messages: must be a non-empty array'],
    [{ messages: [] }, 'messages: must be a non-empty array'],
    [{ messages: 'hi' }, 'messages: must be a non-empty array'],
    [{ messages: ['hi'] }, 'messages[0]: must be an object'],
    [{ messages: [user, user, { role: 'bot', content: 'x' }] }, 'messages[2].role: must be one of system, developer, user, assistant, tool, function'],
    [{ messages: [{ role: 'user', content: 5 }] }, 'messages[0].content: must be a string or an array of content parts'],
    [{ messages: [{ role: 'user', content: [{ type: 'audio' }] }] }, 'messages[0].content[0].type: must be one of text, image_url'],
    [{ messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text: must be a string'],
    [
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }] },
      'messages[0].content[0].image_url.url: must be an http(s) URL or a data: URL',
    ],
    [
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:text/plain;base64,aGk=' } }] }] },
      'messages[0].content[0].image_url.url: must be an image (data:image/…)',
    ],
    [
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,abc' } }] }] },
      'messages[0].content[0].image_url.url: must be a base64 data: URL (data:image/png;base64,…)',
    ],
    [{ messages: [{ role: 'system', content: [{ type: 'image_url' }] }] }, 'messages[0].content[0].type: must be one of text'],
    [{ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id: must be a string'],
    [{ messages: [{ role: 'assistant', tool_calls: [{ id: 'a', function: {} }] }] }, 'messages[0].tool_calls[0].function.name: must be a string'],
    [{ messages: [{ role: 'assistant', tool_calls: {} }] }, 'messages[0].tool_calls: must be an array'],
    [{ messages: [{ role: 'function', content: 'x' }] }, 'messages[0].name: must be a string'],
    [{ messages: [user], model: 5 }, 'model: must be a string'],
    [{ messages: [user], model: '' }, 'model: must not be empty'],
    [{ messages: [user], temperature: 3 }, 'temperature: must be a number between 0 and 2'],
    [{ messages: [user], temperature: '1' }, 'temperature: must be a number between 0 and 2'],
    [{ messages: [user], top_p: 1.5 }, 'top_p: must be a number between 0 and 1'],
    [{ messages: [user], max_tokens: 0 }, 'max_tokens: must be an integer >= 1'],
    [{ messages: [user], max_completion_tokens: 1.5 }, 'max_completion_tokens: must be an integer >= 1'],
    [{ messages: [user], stream: 'yes' }, 'stream: must be a boolean'],
    [{ messages: [user], stream: true, stream_options: { include_usage: 1 } }, 'stream_options.include_usage: must be a boolean'],
    [{ messages: [user], stop: [1] }, 'stop: must be a string or an array of strings'],
    [{ messages: [user], n: 2 }, 'n: only 1 is supported'],
    [{ messages: [user], tools: {} }, 'tools: must be an array'],
    [{ messages: [user], tools: [{ type: 'retrieval' }] }, 'tools[0].type: must be one of function'],
    [{ messages: [user], tools: [{ type: 'function', function: { name: 'f', parameters: [] } }] }, 'tools[0].function.parameters: must be a JSON object'],
    [{ messages: [user], tool_choice: 'always' }, 'tool_choice: must be one of auto, none, required'],
    [{ messages: [user], tool_choice: 'required' }, 'tool_choice: "required" needs at least one tool in tools'],
    [{ messages: [user], tool_choice: { type: 'function', function: { name: 'g' } } }, 'tool_choice.function.name: no tool named "g" in tools'],
    [{ messages: [user], response_format: { type: 'yaml' } }, 'response_format.type: must be one of text, json_object, json_schema'],
    [{ messages: [user], response_format: { type: 'json_schema' } }, 'response_format.json_schema: must be an object'],
    [{ messages: [user], parallel_tool_calls: 'no' }, 'parallel_tool_calls: must be a boolean'],
    [{ messages: [user], user: 7 }, 'user: must be a string'],
  ])('%j → %s', (body, message) => {
    let caught: unknown;
    try {
      decodeOpenAIChatRequest(body);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect(caught).toMatchObject({ code: 'request_invalid', status: 400, message });
  });
});
