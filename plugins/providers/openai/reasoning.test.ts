/** Reasoning through OpenAI-compatible servers: reasoning_effort out, reasoning text (DeepSeek / vLLM / OpenRouter) in. */
import { describe, expect, it } from 'vitest';
import type { ChatRequest, StreamEvent } from '../../../src/formats/canonical.js';
import { decodeOpenAIResponse } from './decode-response.js';
import { createOpenAIStreamDecoder } from './decode-stream.js';
import { encodeOpenAIRequest } from './encode-request.js';

const base: ChatRequest = { model: 'o4-mini', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 100, stream: false };

describe('encodeOpenAIRequest: reasoning and foreign fields', () => {
  it.each([
    [{ enabled: true, effort: 'low' as const }, 'low'],
    [{ enabled: true, effort: 'max' as const }, 'high'],
    [{ enabled: true, budgetTokens: 1500 }, 'low'],
    [{ enabled: true, budgetTokens: 6000 }, 'medium'],
    [{ enabled: true, budgetTokens: 30000 }, 'high'],
    [{ enabled: true, adaptive: true }, 'medium'],
    [{ enabled: false }, undefined],
  ])('reasoning %j → reasoning_effort %s on a model with the reasoning capability', (reasoning, effort) => {
    const warnings: string[] = [];
    const body = encodeOpenAIRequest({ ...base, reasoning }, { streamUsage: true, reasoning: true, warnings });
    expect(body.reasoning_effort).toBe(effort);
    expect(warnings).toEqual([]);
  });

  it('drops temperature and top_p for reasoning models, with a warning', () => {
    const warnings: string[] = [];
    const body = encodeOpenAIRequest({ ...base, temperature: 0.2, topP: 0.9 }, { streamUsage: true, reasoning: true, warnings });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(warnings).toEqual(['openai: temperature / top_p ignored (reasoning models take only the defaults)']);
    expect(encodeOpenAIRequest({ ...base, temperature: 0.2 }, { streamUsage: true }).temperature).toBe(0.2);
  });

  it('warns instead of sending reasoning_effort to a model without the capability', () => {
    const warnings: string[] = [];
    const body = encodeOpenAIRequest({ ...base, reasoning: { enabled: true, budgetTokens: 2048 } }, { streamUsage: true, warnings });
    expect(body.reasoning_effort).toBeUndefined();
    expect(warnings).toEqual(['openai: reasoning settings ignored (the model has no `reasoning` capability in the gateway config)']);
  });

  it('keeps mid-conversation system messages in place, drops reasoning history and warns about Anthropic-only fields', () => {
    const warnings: string[] = [];
    const body = encodeOpenAIRequest(
      {
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'hm', signature: 's' },
              { type: 'text', text: 'b' },
            ],
          },
          { role: 'system', content: [{ type: 'text', text: 'Now terse.', cacheControl: { type: 'ephemeral' } }] },
          { role: 'user', content: [{ type: 'text', text: 'c' }] },
        ],
        anthropic: { betas: ['b1'], extra: { top_k: 2 } },
      },
      { streamUsage: true, warnings },
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'system', content: 'Now terse.' },
      { role: 'user', content: 'c' },
    ]);
    expect(warnings).toEqual([
      'openai: anthropic-beta b1 not sent (not an Anthropic provider)',
      'openai: top_k ignored (Anthropic only)',
      'openai: cache_control breakpoints dropped (this provider caches prompts on its own, if at all)',
    ]);
  });
});

describe('reasoning text from OpenAI-compatible servers', () => {
  const completion = (message: Record<string, unknown>) => ({
    id: 'c',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
  });

  it('decodes reasoning_content (DeepSeek, vLLM) and reasoning (OpenRouter) into a reasoning part', () => {
    for (const field of ['reasoning_content', 'reasoning']) {
      expect(decodeOpenAIResponse('openai', completion({ content: '42', [field]: 'Let me add.' })).content).toEqual([
        { type: 'reasoning', text: 'Let me add.' },
        { type: 'text', text: '42' },
      ]);
    }
  });

  it('streams reasoning deltas, closed when the answer starts', () => {
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      JSON.stringify({ id: 'c', choices: [{ index: 0, delta, finish_reason: finish }] });
    const d = createOpenAIStreamDecoder('openai', ['w']);
    const events: StreamEvent[] = [
      chunk({ role: 'assistant', content: '', reasoning_content: 'Think' }),
      chunk({ reasoning: 'ing.' }),
      chunk({ content: 'Done' }),
      chunk({}, 'stop'),
      '[DONE]',
    ].flatMap((p) => d.push(p));
    expect(events).toEqual([
      { type: 'start', id: 'c', warnings: ['w'] },
      { type: 'reasoning-delta', text: 'Think' },
      { type: 'reasoning-delta', text: 'ing.' },
      { type: 'reasoning-end' },
      { type: 'text-delta', text: 'Done' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: null },
    ]);
  });
});
