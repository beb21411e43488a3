/** Reasoning in the OpenAI chat format, and OpenRouter's answer shape on /api/v1. */
import { describe, expect, it } from 'vitest';
import type { ChatResult, StreamEvent } from '../canonical.js';
import { decodeOpenAIChatRequest } from './decode-request.js';
import { openaiFormat, openrouterFormat } from './index.js';

const meta = { id: 'chatcmpl-1', model: 'claude', created: 1, includeUsage: false, inputTokens: 3, costMicros: () => 1234 };
const usage = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 80, cacheWriteTokens: 10, reasoningTokens: 5 };
const result: ChatResult = {
  content: [
    { type: 'reasoning', text: 'Because.', signature: 's' },
    { type: 'text', text: 'Yes.' },
  ],
  finishReason: { unified: 'stop', raw: 'end_turn' },
  usage,
};
const events: StreamEvent[] = [
  { type: 'start' },
  { type: 'reasoning-delta', text: 'Because.' },
  { type: 'reasoning-end', signature: 's' },
  { type: 'text-delta', text: 'Yes.' },
  { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' }, usage },
];

function chunks(format: typeof openaiFormat, includeUsage: boolean): Record<string, unknown>[] {
  const enc = format.streamEncoder({ ...meta, includeUsage });
  const sse = events.map((e) => enc.encode(e)).join('') + enc.end();
  return sse
    .split('\n\n')
    .filter((f) => f.startsWith('data: {'))
    .map((f) => JSON.parse(f.slice(6)) as Record<string, unknown>);
}

describe('reasoning in the OpenAI chat format', () => {
  it('decodes reasoning_effort and OpenRouter reasoning', () => {
    const ask = (extra: Record<string, unknown>) => decodeOpenAIChatRequest({ messages: [{ role: 'user', content: 'q' }], ...extra }).request.reasoning;
    expect(ask({ reasoning_effort: 'high' })).toEqual({ enabled: true, effort: 'high' });
    expect(ask({ reasoning_effort: 'none' })).toEqual({ enabled: false });
    expect(ask({ reasoning: { max_tokens: 3000 } })).toEqual({ enabled: true, budgetTokens: 3000 });
    expect(ask({})).toBeUndefined();
  });

  it('sends reasoning as reasoning_content on /v1, and also as reasoning on /api/v1', () => {
    const message = (f: typeof openaiFormat) => (f.encodeResult(result, meta) as { choices: { message: Record<string, unknown> }[] }).choices[0]?.message;
    expect(message(openaiFormat)).toMatchObject({ content: 'Yes.', reasoning_content: 'Because.' });
    expect(message(openaiFormat)).not.toHaveProperty('reasoning');
    expect(message(openrouterFormat)).toMatchObject({ content: 'Yes.', reasoning_content: 'Because.', reasoning: 'Because.' });
    const deltas = chunks(openaiFormat, false).map((c) => (c['choices'] as { delta: unknown }[])[0]?.delta);
    expect(deltas).toContainEqual({ reasoning_content: 'Because.' });
  });
});

describe('OpenRouter usage', () => {
  const openrouterUsage = {
    prompt_tokens: 100,
    completion_tokens: 20,
    total_tokens: 120,
    cost: 0.001234,
    is_byok: false,
    prompt_tokens_details: { cached_tokens: 80, cache_write_tokens: 10 },
    completion_tokens_details: { reasoning_tokens: 5 },
  };

  it('closes every /api/v1 stream with a usage chunk carrying the cost, asked for or not', () => {
    const last = chunks(openrouterFormat, false).at(-1);
    expect(last).toMatchObject({ choices: [], usage: openrouterUsage });
    // OpenAI semantics on /v1: no usage unless stream_options.include_usage.
    expect(chunks(openaiFormat, false).some((c) => 'usage' in c)).toBe(false);
    expect(chunks(openaiFormat, true).at(-1)?.['usage']).not.toHaveProperty('cost');
  });

  it('puts the cost in non-streaming usage on /api/v1 only', () => {
    expect((openrouterFormat.encodeResult(result, meta) as { usage: unknown }).usage).toEqual(openrouterUsage);
    expect((openaiFormat.encodeResult(result, meta) as { usage: unknown }).usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 20,
      total_tokens: 120,
      prompt_tokens_details: { cached_tokens: 80 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
  });
});

describe('cache_control on content parts (OpenRouter convention)', () => {
  it('is kept on text and image parts, system messages included', () => {
    const { request } = decodeOpenAIChatRequest({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'long', cache_control: { type: 'ephemeral' } }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'q', cache_control: { type: 'ephemeral', ttl: '1h' } },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png' }, cache_control: { type: 'bogus' } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'long', cacheControl: { type: 'ephemeral' } }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'q', cacheControl: { type: 'ephemeral', ttl: '1h' } },
          { type: 'image', source: { kind: 'url', url: 'https://x.test/a.png' } },
        ],
      },
    ]);
  });
});
