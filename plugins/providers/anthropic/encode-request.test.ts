import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../src/formats/canonical.js';
import { encodeAnthropicRequest } from './encode-request.js';

const base: ChatRequest = { model: 'claude-x', maxTokens: 100, stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

describe('encodeAnthropicRequest', () => {
  it('sends leading system messages as system, folds later ones into user text (no beta), merges same-role turns', () => {
    const { body, warnings } = encodeAnthropicRequest({
      ...base,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'a' }] },
        { role: 'user', content: [{ type: 'text', text: 'b' }] },
        { role: 'system', content: [{ type: 'text', text: 'Be kind.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'c' }] },
      ],
    });
    expect(warnings).toEqual([
      '1 system message(s) inside messages sent as user text: send the anthropic-beta mid-conversation-system-* or per-turn-control-* to keep them as system turns',
    ]);
    expect(body.system).toBe('Be brief.');
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
          { type: 'text', text: '<system-reminder>\nBe kind.\n</system-reminder>' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }] },
    ]);
    expect(body).toMatchObject({ model: 'claude-x', max_tokens: 100, stream: false });
  });

  it('maps tool calls, tool results and images', () => {
    const { body, warnings } = encodeAnthropicRequest({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'weather?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { kind: 'url', url: 'https://x.test/a.jpg' } },
            { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4A' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'tool-call', id: 't1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 't2', name: 'broken', arguments: '{not json' },
            { type: 'tool-call', id: 't3', name: 'noargs', arguments: '' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: '18C' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't2', content: 'boom', isError: true }] },
        { role: 'user', content: [{ type: 'text', text: 'thanks' }] },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'weather?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
          { type: 'image', source: { type: 'url', url: 'https://x.test/a.jpg' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4A' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 't2', name: 'broken', input: {} },
          { type: 'tool_use', id: 't3', name: 'noargs', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: '18C' },
          { type: 'tool_result', tool_use_id: 't2', content: 'boom', is_error: true },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('broken');
  });

  it('puts tool results before text when a user turn precedes a tool turn', () => {
    const { body } = encodeAnthropicRequest({
      ...base,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'x' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: 'r' }] },
      ],
    });
    expect(body.messages[0]?.content.map((b) => b.type)).toEqual(['tool_result', 'text']);
  });

  it.each([
    [{ type: 'auto' } as const, undefined, { type: 'auto' }],
    [{ type: 'required' } as const, undefined, { type: 'any' }],
    [{ type: 'tool', name: 'f' } as const, undefined, { type: 'tool', name: 'f' }],
    [{ type: 'none' } as const, undefined, { type: 'none' }],
    [{ type: 'auto' } as const, false, { type: 'auto', disable_parallel_tool_use: true }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    [undefined, undefined, undefined],
  ])('tool_choice %j (parallel %s) → %j', (toolChoice, parallelToolCalls, expected) => {
    const { body } = encodeAnthropicRequest({
      ...base,
      tools: [{ name: 'f', description: 'does f', parameters: { properties: { a: { type: 'string' } } } }],
      ...(toolChoice ? { toolChoice } : {}),
      ...(parallelToolCalls !== undefined ? { parallelToolCalls } : {}),
    });
    expect(body.tools).toEqual([{ name: 'f', description: 'does f', input_schema: { type: 'object', properties: { a: { type: 'string' } } } }]);
    expect(body.tool_choice).toEqual(expected);
  });

  it.each([
    [{ temperature: 0.5 }, { temperature: 0.5 }, 0],
    [{ temperature: 1.7 }, { temperature: 1 }, 1],
    [{ topP: 0.9 }, { top_p: 0.9 }, 0],
    [{ temperature: 0.2, topP: 0.9 }, { temperature: 0.2 }, 1],
    [{ stop: ['END'] }, { stop_sequences: ['END'] }, 0],
    [{ user: 'u-1' }, { metadata: { user_id: 'u-1' } }, 0],
    [{ stream: true }, { stream: true }, 0],
    [{ responseFormat: { type: 'text' } as const }, {}, 0],
    [{ toolChoice: { type: 'required' } as const }, {}, 1],
  ])('settings %j → %j with %i warning(s)', (settings, expected, warningCount) => {
    const { body, warnings } = encodeAnthropicRequest({ ...base, ...settings });
    expect(body).toMatchObject(expected);
    expect(warnings).toHaveLength(warningCount);
    if (!('top_p' in expected)) expect(body.top_p).toBeUndefined();
    expect(body.tool_choice).toBeUndefined();
  });
});
