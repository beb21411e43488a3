/** The anthropic provider sends back what Anthropic clients sent, and maps what other clients asked for. */
import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message } from '../../../src/formats/canonical.js';
import { encodeAnthropicRequest } from './encode-request.js';

const ephemeral = { type: 'ephemeral' } as const;
const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const base: ChatRequest = { model: 'claude-x', maxTokens: 4096, stream: false, messages: [user('hi')] };

describe('encodeAnthropicRequest: fidelity', () => {
  it('sends system blocks as blocks with their cache_control, and breakpoints on blocks and tools', () => {
    const { body, warnings } = encodeAnthropicRequest({
      ...base,
      messages: [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'A' },
            { type: 'text', text: 'B', cacheControl: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
        { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://x.test/i.png' }, cacheControl: ephemeral }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 't', name: 'Read', arguments: '{}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't', content: 'r', cacheControl: ephemeral }] },
        { role: 'user', content: [{ type: 'text', text: 'q', cacheControl: ephemeral }] },
      ],
      tools: [{ name: 'Read', parameters: { type: 'object' }, cacheControl: ephemeral }],
    });
    expect(warnings).toEqual([]);
    expect(body.system).toEqual([
      { type: 'text', text: 'A' },
      { type: 'text', text: 'B', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect(body.tools).toEqual([{ name: 'Read', input_schema: { type: 'object' }, cache_control: ephemeral }]);
    expect(body.messages[0]?.content).toEqual([{ type: 'image', source: { type: 'url', url: 'https://x.test/i.png' }, cache_control: ephemeral }]);
    expect(body.messages[2]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 't', content: 'r', cache_control: ephemeral },
      { type: 'text', text: 'q', cache_control: ephemeral },
    ]);
  });

  it('keeps system messages in place when the client sent the mid-conversation-system beta', () => {
    const { body, warnings, betas } = encodeAnthropicRequest({
      ...base,
      messages: [
        user('a'),
        { role: 'assistant', content: [{ type: 'text', text: 'b' }] },
        { role: 'system', content: [{ type: 'text', text: 'Now be terse.' }] },
        user('c'),
      ],
      anthropic: { betas: ['mid-conversation-system-2026-04-07'] },
    });
    expect(warnings).toEqual([]);
    expect(betas).toEqual(['mid-conversation-system-2026-04-07']);
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'system', 'user']);
    expect(body.messages[2]?.content).toEqual([{ type: 'text', text: 'Now be terse.' }]);
  });

  it('sends thinking history blocks back in order with their signatures, and drops unsigned reasoning', () => {
    const { body } = encodeAnthropicRequest({
      ...base,
      messages: [
        user('q'),
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'plan', signature: 'EqQBsig==' },
            { type: 'reasoning', text: '', redactedData: 'EmwKAhgB' },
            { type: 'reasoning', text: 'from another provider' },
            { type: 'text', text: 'ok' },
          ],
        },
        user('more'),
      ],
    });
    expect(body.messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'plan', signature: 'EqQBsig==' },
      { type: 'redacted_thinking', data: 'EmwKAhgB' },
      { type: 'text', text: 'ok' },
    ]);
  });

  it.each([
    [{ enabled: true, budgetTokens: 2048 }, { type: 'enabled', budget_tokens: 2048 }, undefined],
    [{ enabled: true, adaptive: true, effort: 'high' as const }, { type: 'adaptive' }, { effort: 'high' }],
    [{ enabled: false }, { type: 'disabled' }, undefined],
    [{ enabled: true, effortOnly: true, effort: 'low' as const }, undefined, { effort: 'low' }],
    // OpenAI reasoning_effort: a budget, no effort field (older Claude models reject it).
    [{ enabled: true, effort: 'high' as const }, { type: 'enabled', budget_tokens: 4095 }, undefined],
    [{ enabled: true, effort: 'low' as const }, { type: 'enabled', budget_tokens: 2048 }, undefined],
  ])('reasoning %j → thinking %j, output_config %j', (reasoning, thinking, outputConfig) => {
    const { body } = encodeAnthropicRequest({ ...base, reasoning });
    expect(body.thinking).toEqual(thinking);
    expect(body.output_config).toEqual(outputConfig);
  });

  it('drops temperature with thinking on, and thinking that Anthropic would refuse, with warnings', () => {
    const hot = encodeAnthropicRequest({ ...base, temperature: 0.2, reasoning: { enabled: true, budgetTokens: 1024 } });
    expect(hot.body.temperature).toBeUndefined();
    expect(hot.warnings).toEqual(['temperature ignored: Anthropic takes only temperature 1 with thinking']);

    const small = encodeAnthropicRequest({ ...base, maxTokens: 500, reasoning: { enabled: true, effort: 'low' } });
    expect(small.body.thinking).toBeUndefined();
    expect(small.warnings[0]).toMatch(/thinking not enabled: .*at least 1024/);

    const unsigned = encodeAnthropicRequest({
      ...base,
      reasoning: { enabled: true, effort: 'medium' },
      messages: [
        user('q'),
        { role: 'assistant', content: [{ type: 'tool-call', id: 't', name: 'f', arguments: '{}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't', content: 'r' }] },
      ],
    });
    expect(unsigned.body.thinking).toBeUndefined();
    expect(unsigned.warnings[0]).toMatch(/signed thinking block/);
  });

  it('passes context_management and other Anthropic fields through, never over its own fields', () => {
    const { body } = encodeAnthropicRequest({
      ...base,
      anthropic: {
        contextManagement: { edits: [{ type: 'clear_tool_uses_20250919' }] },
        extra: { service_tier: 'auto', top_k: 5, model: 'evil', output_config: { task_budget: 3 } },
      },
      reasoning: { enabled: true, effortOnly: true, effort: 'medium' },
    });
    expect(body).toMatchObject({
      model: 'claude-x',
      context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      service_tier: 'auto',
      top_k: 5,
      output_config: { task_budget: 3, effort: 'medium' },
    });
  });
});

describe('encodeAnthropicRequest: Claude Code 2.1 round trip', () => {
  it('sends its system turn (with per-turn-control), thinking display and tool fields back as it sent them', () => {
    const { body, warnings } = encodeAnthropicRequest({
      ...base,
      messages: [
        user('say hi'),
        { role: 'system', content: [{ type: 'text', text: '# Env', cacheControl: ephemeral }], anthropic: { output_config: { effort: 'medium' } } },
      ],
      reasoning: { enabled: true, adaptive: true, effort: 'medium' },
      tools: [{ name: 'Deferred', parameters: { type: 'object', properties: {} }, anthropic: { defer_loading: true } }],
      anthropic: { betas: ['claude-code-20250219', 'per-turn-control-2026-07-01'], extra: { thinking: { display: 'omitted' } } },
    });
    expect(warnings).toEqual([]);
    expect(body.messages[1]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: '# Env', cache_control: ephemeral }],
      output_config: { effort: 'medium' },
    });
    expect(body.thinking).toEqual({ display: 'omitted', type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'medium' });
    expect(body.tools).toEqual([{ name: 'Deferred', input_schema: { type: 'object', properties: {} }, defer_loading: true }]);
    expect(body).not.toHaveProperty('temperature');
  });
});

describe('encodeAnthropicRequest: folded system turns', () => {
  it('warns about the per-turn fields it cannot keep without the beta', () => {
    const { warnings } = encodeAnthropicRequest({
      ...base,
      messages: [user('a'), { role: 'system', content: [{ type: 'text', text: 'Env' }], anthropic: { output_config: { effort: 'low' } } }],
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^1 system message\(s\) inside messages sent as user text/),
      'system turn fields output_config dropped with the folded system turn',
    ]);
  });
});

describe('encodeAnthropicRequest: structured output', () => {
  const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };

  it('uses output_config.format natively on models with the structured_output capability', () => {
    const { body, jsonTool, warnings } = encodeAnthropicRequest(
      { ...base, responseFormat: { type: 'json_schema', name: 'r', schema } },
      { nativeStructuredOutput: true },
    );
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(body.tools).toBeUndefined();
    expect(jsonTool).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('otherwise forces a json_response tool with the schema', () => {
    const { body, jsonTool } = encodeAnthropicRequest({ ...base, responseFormat: { type: 'json_schema', name: 'r', schema } });
    expect(body.tools).toEqual([{ name: 'json_response', description: expect.any(String), input_schema: schema }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json_response' });
    expect(jsonTool).toEqual({ name: 'json_response', wrapped: false, only: true });
    expect(body.output_config).toBeUndefined();
  });

  it('json_object forces a tool with an open object schema; a non-object schema is wrapped; client tools make it "any"', () => {
    const open = encodeAnthropicRequest({ ...base, responseFormat: { type: 'json_object' } });
    expect(open.body.tools?.[0]?.input_schema).toEqual({ type: 'object', additionalProperties: true });

    const list = encodeAnthropicRequest({ ...base, responseFormat: { type: 'json_schema', name: 'r', schema: { type: 'array', items: { type: 'string' } } } });
    expect(list.body.tools?.[0]?.input_schema).toEqual({
      type: 'object',
      properties: { value: { type: 'array', items: { type: 'string' } } },
      required: ['value'],
    });
    expect(list.jsonTool?.wrapped).toBe(true);

    const withTools = encodeAnthropicRequest({
      ...base,
      tools: [{ name: 'json_response', parameters: { type: 'object' } }],
      responseFormat: { type: 'json_object' },
    });
    expect(withTools.body.tools?.map((t) => t.name)).toEqual(['json_response', 'json_response_1']);
    expect(withTools.body.tool_choice).toEqual({ type: 'any' });
    expect(withTools.jsonTool).toEqual({ name: 'json_response_1', wrapped: false, only: false });
  });

  it('turns thinking off with a forced tool (Anthropic refuses the pair)', () => {
    const { body, warnings } = encodeAnthropicRequest({ ...base, responseFormat: { type: 'json_object' }, reasoning: { enabled: true, budgetTokens: 2048 } });
    expect(body.thinking).toBeUndefined();
    expect(warnings[0]).toMatch(/forced tool/);
  });
});
