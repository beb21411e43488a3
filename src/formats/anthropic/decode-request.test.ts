import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import { decodeAnthropicRequest } from './decode-request.js';

const minimal = { max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

function errorOf(body: unknown): string {
  try {
    decodeAnthropicRequest(body);
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'request_invalid') return err.message;
    throw err;
  }
  throw new Error('expected request_invalid');
}

describe('decodeAnthropicRequest', () => {
  it('applies defaults and injects no temperature', () => {
    expect(decodeAnthropicRequest(minimal)).toEqual({
      model: 'auto',
      maxTokens: 100,
      stream: false,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('decodes every supported field', () => {
    const req = decodeAnthropicRequest({
      model: 'claude-sonnet-4',
      max_tokens: 512,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      temperature: 0.7,
      top_p: 0.9,
      stop_sequences: ['END'],
      stream: true,
      metadata: { user_id: 'user-42' },
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: '18' },
                { type: 'text', text: 'C' },
              ],
            },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'failed', is_error: true },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
    });
    expect(req).toEqual({
      model: 'claude-sonnet-4',
      maxTokens: 512,
      temperature: 0.7,
      topP: 0.9,
      stop: ['END'],
      stream: true,
      user: 'user-42',
      tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral' } }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { kind: 'url', url: 'https://x.test/a.png' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'hmm', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'toolu_1', content: '18\nC' },
            { type: 'tool-result', toolCallId: 'toolu_2', content: 'failed', isError: true },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'And tomorrow?' }] },
      ],
    });
  });

  it.each([
    [{ type: 'auto' }, { type: 'auto' }],
    [{ type: 'none' }, { type: 'none' }],
    [
      { type: 'tool', name: 'f' },
      { type: 'tool', name: 'f' },
    ],
  ])('tool_choice %j → %j', (toolChoice, expected) => {
    const req = decodeAnthropicRequest({ ...minimal, tool_choice: toolChoice });
    expect(req.toolChoice).toEqual(expected);
    expect(req.parallelToolCalls).toBeUndefined();
  });

  it('a system string becomes a system message; a tool_result-only turn has no user message', () => {
    const req = decodeAnthropicRequest({
      max_tokens: 1,
      system: 'S',
      messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't' }] }],
    });
    expect(req.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'S' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't', content: '' }] },
    ]);
  });

  it.each([
    ['not an object', [], 'body: must be a JSON object'],
    ['no max_tokens', { messages: minimal.messages }, 'max_tokens: required'],
    ['zero max_tokens', { ...minimal, max_tokens: 0 }, 'max_tokens: must be a positive integer'],
    ['fractional max_tokens', { ...minimal, max_tokens: 1.5 }, 'max_tokens: must be a positive integer'],
    ['no messages', { max_tokens: 1 }, 'messages: required'],
    ['empty messages', { max_tokens: 1, messages: [] }, 'messages: must contain at least one message'],
    ['bad role', { max_tokens: 1, messages: [{ role: 'bot', content: 'x' }] }, "messages[0].role: must be 'user', 'assistant' or 'system'"],
    [
      'system message with an image',
      { max_tokens: 1, messages: [{ role: 'system', content: [{ type: 'image' }] }] },
      "messages[0].content[0].type: must be 'text'",
    ],
    [
      'cache_control type',
      { ...minimal, system: [{ type: 'text', text: 's', cache_control: { type: 'forever' } }] },
      "system[0].cache_control.type: must be 'ephemeral'",
    ],
    ['thinking type', { ...minimal, thinking: { type: 'on' } }, "thinking.type: must be 'enabled', 'adaptive' or 'disabled'"],
    ['thinking budget', { ...minimal, thinking: { type: 'enabled' } }, 'thinking.budget_tokens: must be a positive integer'],
    ['effort', { ...minimal, output_config: { effort: 'extreme' } }, 'output_config.effort: must be one of minimal, low, medium, high, max'],
    ['format type', { ...minimal, output_config: { format: { type: 'xml' } } }, "output_config.format.type: must be 'json_schema'"],
    ['format schema', { ...minimal, output_format: { type: 'json_schema' } }, 'output_format.schema: required'],
    [
      'thinking in a user turn',
      { max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'thinking', thinking: 'x' }] }] },
      "messages[0].content[0].type: 'thinking' blocks belong in assistant messages",
    ],
    ['bad content', { max_tokens: 1, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content: must be an array'],
    [
      'unknown block',
      {
        max_tokens: 1,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [{ type: 'foo' }] },
        ],
      },
      "messages[1].content[0].type: unknown block type 'foo'",
    ],
    [
      'tool_use from user',
      { max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'b', input: {} }] }] },
      "messages[0].content[0].type: 'tool_use' blocks belong in assistant messages",
    ],
    [
      'tool_result from assistant',
      { max_tokens: 1, messages: [{ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 'a' }] }] },
      "messages[0].content[0].type: 'tool_result' blocks belong in user messages",
    ],
    ['text without text', { max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text: required'],
    [
      'bad image source',
      { max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file' } }] }] },
      "messages[0].content[0].source.type: must be 'base64' or 'url'",
    ],
    [
      'image in tool_result',
      { max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image' }] }] }] },
      'messages[0].content[0].content[0].type: only text blocks are supported in tool_result content',
    ],
    [
      'tool_use input not object',
      { max_tokens: 1, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'b', input: 'x' }] }] },
      'messages[0].content[0].input: must be an object',
    ],
    ['temperature > 1', { ...minimal, temperature: 1.5 }, 'temperature: must be between 0 and 1'],
    ['temperature string', { ...minimal, temperature: 'hot' }, 'temperature: must be a number'],
    ['top_p > 1', { ...minimal, top_p: 2 }, 'top_p: must be between 0 and 1'],
    ['stream string', { ...minimal, stream: 'yes' }, 'stream: must be a boolean'],
    ['model number', { ...minimal, model: 4 }, 'model: must be a string'],
    ['system block type', { ...minimal, system: [{ type: 'image' }] }, "system[0].type: must be 'text'"],
    ['stop_sequences item', { ...minimal, stop_sequences: [1] }, 'stop_sequences[0]: must be a string'],
    ['tool without schema', { ...minimal, tools: [{ name: 'f' }] }, 'tools[0].input_schema: required'],
    [
      'server tool',
      { ...minimal, tools: [{ type: 'web_search_20250305', name: 'web_search' }] },
      "tools[0].type: unsupported tool type 'web_search_20250305' (only client tools with an input_schema)",
    ],
    ['tool_choice type', { ...minimal, tool_choice: { type: 'some' } }, "tool_choice.type: must be 'auto', 'any', 'tool' or 'none'"],
    ['tool_choice tool without name', { ...minimal, tool_choice: { type: 'tool' } }, 'tool_choice.name: required'],
    ['metadata user_id', { ...minimal, metadata: { user_id: 3 } }, 'metadata.user_id: must be a string'],
  ])('rejects %s', (_label, body, message) => {
    expect(errorOf(body)).toBe(message);
  });
});
