/** What Claude Code and other Anthropic clients send beyond the basics, decoded without loss. */
import { describe, expect, it } from 'vitest';
import { decodeAnthropicRequest } from './decode-request.js';

const ephemeral = { type: 'ephemeral' } as const;

describe('decodeAnthropicRequest: Anthropic fidelity', () => {
  it('keeps system messages inside messages where the client put them', () => {
    const req = decodeAnthropicRequest({
      max_tokens: 10,
      system: 'Top.',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'system', content: 'Mid string.' },
        { role: 'system', content: [{ type: 'text', text: 'Mid blocks.', cache_control: ephemeral }] },
        { role: 'user', content: 'c' },
      ],
    });
    expect(req.messages.map((m) => [m.role, m.content.map((p) => ('text' in p ? p.text : p.type))])).toEqual([
      ['system', ['Top.']],
      ['user', ['a']],
      ['assistant', ['b']],
      ['system', ['Mid string.']],
      ['system', ['Mid blocks.']],
      ['user', ['c']],
    ]);
    expect(req.messages[4]).toEqual({ role: 'system', content: [{ type: 'text', text: 'Mid blocks.', cacheControl: ephemeral }] });
  });

  it('keeps system blocks apart, and cache_control on text, images, tool results and tools', () => {
    const req = decodeAnthropicRequest({
      max_tokens: 10,
      system: [
        { type: 'text', text: 'You are Claude Code.' },
        { type: 'text', text: 'Long instructions…', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      tools: [{ name: 'Read', input_schema: { type: 'object' }, cache_control: ephemeral }],
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'file', cache_control: ephemeral }] },
            { type: 'image', source: { type: 'url', url: 'https://x.test/i.png' }, cache_control: ephemeral },
            { type: 'text', text: 'go on', cache_control: ephemeral },
          ],
        },
      ],
    });
    expect(req.messages[0]).toEqual({
      role: 'system',
      content: [
        { type: 'text', text: 'You are Claude Code.' },
        { type: 'text', text: 'Long instructions…', cacheControl: { type: 'ephemeral', ttl: '1h' } },
      ],
    });
    expect(req.tools?.[0]?.cacheControl).toEqual(ephemeral);
    expect(req.messages[2]).toEqual({ role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: 'file', cacheControl: ephemeral }] });
    expect(req.messages[3]).toEqual({
      role: 'user',
      content: [
        { type: 'image', source: { kind: 'url', url: 'https://x.test/i.png' }, cacheControl: ephemeral },
        { type: 'text', text: 'go on', cacheControl: ephemeral },
      ],
    });
  });

  it('keeps thinking and redacted_thinking history blocks in order, signatures untouched', () => {
    const req = decodeAnthropicRequest({
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'step 1', signature: 'EqQBsig==' },
            { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3p' },
            { type: 'thinking', thinking: 'from another provider', signature: '' },
            { type: 'tool_use', id: 't', name: 'f', input: { a: 1 } },
          ],
        },
      ],
    });
    expect(req.messages[1]?.content).toEqual([
      { type: 'reasoning', text: 'step 1', signature: 'EqQBsig==' },
      { type: 'reasoning', text: '', redactedData: 'EmwKAhgBEgy3va3p' },
      { type: 'reasoning', text: 'from another provider' },
      { type: 'tool-call', id: 't', name: 'f', arguments: '{"a":1}' },
    ]);
  });

  it.each([
    [{ type: 'enabled', budget_tokens: 2048 }, undefined, { enabled: true, budgetTokens: 2048 }],
    [{ type: 'adaptive' }, 'high', { enabled: true, adaptive: true, effort: 'high' }],
    [{ type: 'disabled' }, undefined, { enabled: false }],
    [undefined, 'low', { enabled: true, effortOnly: true, effort: 'low' }],
  ])('thinking %j with effort %s → %j', (thinking, effort, expected) => {
    const req = decodeAnthropicRequest({
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'q' }],
      ...(thinking !== undefined ? { thinking } : {}),
      ...(effort !== undefined ? { output_config: { effort } } : {}),
    });
    expect(req.reasoning).toEqual(expected);
  });

  it('decodes output_config.format and the beta output_format as structured output', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false };
    for (const body of [{ output_config: { format: { type: 'json_schema', schema } } }, { output_format: { type: 'json_schema', schema } }]) {
      const req = decodeAnthropicRequest({ max_tokens: 10, messages: [{ role: 'user', content: 'q' }], ...body });
      expect(req.responseFormat).toEqual({ type: 'json_schema', name: 'response', schema });
    }
  });

  it('carries betas, context_management and every other Anthropic field for Anthropic providers', () => {
    const req = decodeAnthropicRequest(
      {
        max_tokens: 10,
        messages: [{ role: 'user', content: 'q' }],
        context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
        service_tier: 'auto',
        top_k: 5,
        output_config: { effort: 'medium', task_budget: 3 },
      },
      { 'anthropic-beta': 'context-management-2025-06-27, mid-conversation-system-2026-04-07' },
    );
    expect(req.anthropic).toEqual({
      betas: ['context-management-2025-06-27', 'mid-conversation-system-2026-04-07'],
      contextManagement: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      extra: { service_tier: 'auto', top_k: 5, output_config: { task_budget: 3 } },
    });
    expect(decodeAnthropicRequest({ max_tokens: 1, messages: [{ role: 'user', content: 'q' }] }).anthropic).toBeUndefined();
  });

  it('keeps what Claude Code 2.1 sends beyond the canonical fields (captured shape)', () => {
    const req = decodeAnthropicRequest({
      model: 'claude-opus-5-5',
      max_tokens: 128000,
      stream: true,
      thinking: { type: 'adaptive', display: 'omitted' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      output_config: { effort: 'medium' },
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1' },
        { type: 'text', text: 'You are a Claude agent.', cache_control: ephemeral },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'say hi' }] },
        { role: 'system', content: [{ type: 'text', text: '# Environment', cache_control: ephemeral }], output_config: { effort: 'medium' } },
      ],
      tools: [
        { name: 'Bash', description: 'Run', input_schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: {} } },
        { name: 'DeferredToolPlaceholder', description: 'never call', input_schema: { type: 'object', properties: {} }, defer_loading: true },
      ],
    });
    expect(req.reasoning).toEqual({ enabled: true, adaptive: true, effort: 'medium' });
    expect(req.anthropic?.extra).toEqual({ thinking: { display: 'omitted' } });
    expect(req.messages[2]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: '# Environment', cacheControl: ephemeral }],
      anthropic: { output_config: { effort: 'medium' } },
    });
    expect(req.tools?.[1]).toMatchObject({ name: 'DeferredToolPlaceholder', anthropic: { defer_loading: true } });
    expect(req.tools?.[0]).not.toHaveProperty('anthropic');
    expect(req).not.toHaveProperty('temperature');
  });
});
