import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../src/formats/canonical.js';
import { encodeRequest } from './encode-request.js';

const base: ChatRequest = { model: 'gemini-2.5-flash', maxTokens: 100, stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

describe('encodeRequest: reasoning, mid-conversation system, Anthropic-only fields', () => {
  it.each([
    [
      { enabled: true, budgetTokens: 4000 },
      { thinkingBudget: 4000, includeThoughts: true },
    ],
    [
      { enabled: true, effort: 'low' as const },
      { thinkingBudget: 2048, includeThoughts: true },
    ],
    [
      { enabled: true, adaptive: true },
      { thinkingBudget: -1, includeThoughts: true },
    ],
    [{ enabled: false }, { thinkingBudget: 0 }],
  ])('reasoning %j → thinkingConfig %j', (reasoning, thinkingConfig) => {
    expect(encodeRequest({ ...base, reasoning }).body.generationConfig.thinkingConfig).toEqual(thinkingConfig);
  });

  it('folds a mid-conversation system message into systemInstruction and warns about Anthropic-only fields', () => {
    const { body, warnings } = encodeRequest({
      ...base,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a', cacheControl: { type: 'ephemeral' } }] },
        { role: 'system', content: [{ type: 'text', text: 'Be terse.' }] },
      ],
      anthropic: { betas: ['x-beta'], contextManagement: {}, extra: { top_k: 3 } },
    });
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }] });
    expect(warnings).toEqual([
      'Gemini: 1 system message(s) inside messages folded into systemInstruction',
      'Gemini: anthropic-beta x-beta not sent (not an Anthropic provider)',
      'Gemini: context_management ignored (Anthropic only)',
      'Gemini: top_k ignored (Anthropic only)',
      'Gemini: cache_control breakpoints dropped (this provider caches prompts on its own, if at all)',
    ]);
  });
});
