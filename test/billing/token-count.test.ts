/** Output a provider did not count is counted with the BPE tokenizer, once, across chunk boundaries. */
import { describe, expect, it } from 'vitest';
import { countTextTokens, TokenCounter } from '../../src/gateway/token-estimate.js';

describe('TokenCounter', () => {
  it('counts the joined text, not each chunk', () => {
    const counter = new TokenCounter();
    for (const chunk of ['Hel', 'lo wor', 'ld']) counter.add(chunk);
    expect(counter.tokens).toBe(countTextTokens('Hello world'));
    expect(counter.tokens).toBe(2);
    counter.add('!');
    expect(counter.tokens).toBe(countTextTokens('Hello world!'));
  });
  it('is 0 for nothing and at least 1 for any text', () => {
    expect(new TokenCounter().tokens).toBe(0);
    expect(countTextTokens(' ')).toBeGreaterThanOrEqual(1);
  });
  it('falls back to the character rule for huge texts', () => {
    expect(countTextTokens('a'.repeat(100_000))).toBe(25_000);
  });
});
