import { describe, expect, it } from 'vitest';
import { decodeNativeChatRequest } from '../formats/native/decode-request.js';
import type { Runtime } from '../gateway/runtime.js';
import { estimateMessageTokens } from '../gateway/token-estimate.js';
import { fitTurns, withHistory } from './history.js';

const turn = (role: 'user' | 'assistant', chars: number, tag: string) => ({ role, content: `${tag} ${'x'.repeat(chars)}` });

describe('fitTurns', () => {
  it('keeps the newest turns that fit, starting with a user turn', () => {
    const history = [turn('user', 100, 'u1'), turn('assistant', 100, 'a1'), turn('user', 100, 'u2'), turn('assistant', 100, 'a2')];
    const each = estimateMessageTokens({ role: 'user', content: [{ type: 'text', text: history[0]!.content }] });
    expect(fitTurns(history, each * 4)).toHaveLength(4);
    const two = fitTurns(history, each * 2);
    expect(two.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(JSON.stringify(two)).toContain('u2');
    // Room for three turns: the oldest kept would be an assistant turn, so it is dropped too.
    expect(fitTurns(history, each * 3 + 1).map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(fitTurns(history, each - 1)).toEqual([]);
  });
});

describe('withHistory', () => {
  const model = (id: string, contextWindow: number) => ({ id, contextWindow, fallbacks: [] as string[], categories: ['text'] });
  const runtime = {
    models: new Map([
      ['small', model('small', 2048 + 200)],
      ['big', model('big', 100_000)],
    ]),
    resolveModelId: (id: string) => (id === 'small' || id === 'big' ? id : undefined),
    config: { routing: { categories: {}, default_category: 'text' } },
  } as unknown as Runtime;

  it("trims to the requested model's window and keeps system first and the new turn last", async () => {
    const body = decodeNativeChatRequest({
      model: 'small',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'next question' },
      ],
    });
    const history = Array.from({ length: 20 }, (_, i) => turn(i % 2 === 0 ? 'user' : 'assistant', 40, `t${i}`));
    const messages = await withHistory(runtime, { model: 'small', system: body.system, turns: body.turns, maxTokens: 2048 }, history);
    expect(messages[0]!.role).toBe('system');
    expect(messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'text', text: 'next question' }] });
    const kept = messages.length - 2;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(20);
    expect(messages[1]!.role).toBe('user');
    expect(JSON.stringify(messages.at(-2))).toContain('t19');

    const roomy = await withHistory(runtime, { model: 'big', system: [], turns: body.turns, maxTokens: 2048 }, history);
    expect(roomy).toHaveLength(21);
  });
});
