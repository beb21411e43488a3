import { describe, expect, it } from 'vitest';
import type { ChatResult } from '../../../src/formats/canonical.js';
import { GatewayError } from '../../../src/errors.js';
import { decodeResponse, mapFinishReason } from './decode-response.js';
import { fixtureJson } from './__fixtures__/load.js';

describe('decodeResponse (recorded bodies)', () => {
  const cases: [string, ChatResult][] = [
    [
      'generate-text.json',
      {
        id: 'mKqWaOz1EoCxkdUPq7DJ-Ac',
        content: [{ type: 'text', text: 'The capital of France is Paris.' }],
        finishReason: { unified: 'stop', raw: 'STOP' },
        usage: { inputTokens: 9, outputTokens: 32, cacheReadTokens: 4, reasoningTokens: 24 },
      },
    ],
    [
      'generate-function-call.json',
      {
        id: 'Q7uWaMfHBPyVkdUP3_3y6Q0',
        content: [
          { type: 'text', text: 'Let me check both cities.' },
          { type: 'tool-call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
          { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
        ],
        finishReason: { unified: 'tool-calls', raw: 'STOP' },
        usage: { inputTokens: 61, outputTokens: 30 },
      },
    ],
    [
      'generate-blocked.json',
      {
        id: 'bLuWaKqnL8WOkdUPlIjtcQ',
        content: [],
        finishReason: { unified: 'content-filter', raw: 'PROHIBITED_CONTENT' },
        usage: { inputTokens: 14, outputTokens: 0 },
      },
    ],
    [
      'generate-safety-stop.json',
      {
        content: [],
        finishReason: { unified: 'content-filter', raw: 'SAFETY' },
        usage: { inputTokens: 20, outputTokens: 0 },
      },
    ],
  ];
  it.each(cases)('%s', (name, expected) => {
    expect(decodeResponse(fixtureJson(name))).toEqual(expected);
  });

  it('uses functionCall.id when present and decodes thought parts as reasoning', () => {
    const result = decodeResponse({
      candidates: [
        { content: { parts: [{ text: 'thinking…', thought: true }, { functionCall: { id: 'fc-1', name: 'f', args: { a: 1 } } }] }, finishReason: 'STOP' },
      ],
    });
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'thinking…' },
      { type: 'tool-call', id: 'fc-1', name: 'f', arguments: '{"a":1}' },
    ]);
    expect(result.usage).toBeNull();
  });

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['candidates not an array', { candidates: {} }],
    ['no candidates, no block reason', { usageMetadata: { promptTokenCount: 1 } }],
    ['parts not an array', { candidates: [{ content: { parts: 'x' } }] }],
    ['functionCall without name', { candidates: [{ content: { parts: [{ functionCall: { args: {} } }] } }] }],
  ])('rejects a malformed body: %s', (_name, body) => {
    try {
      decodeResponse(body);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).code).toBe('upstream_bad_response');
    }
  });
});

describe('mapFinishReason', () => {
  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool-calls'],
    ['MAX_TOKENS', false, 'length'],
    ['SAFETY', false, 'content-filter'],
    ['RECITATION', false, 'content-filter'],
    ['BLOCKLIST', false, 'content-filter'],
    ['PROHIBITED_CONTENT', false, 'content-filter'],
    ['SPII', false, 'content-filter'],
    ['IMAGE_SAFETY', false, 'content-filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'other'],
    ['LANGUAGE', false, 'other'],
    ['OTHER', false, 'other'],
  ] as const)('%s (tool calls: %s) → %s', (raw, calls, unified) => {
    expect(mapFinishReason(raw, calls)).toEqual({ unified, raw });
  });
});
