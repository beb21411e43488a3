import { describe, expect, it } from 'vitest';
import { chargeMicros } from './price.js';

describe('chargeMicros: prompt-cache prices', () => {
  const price = { inputPer1M: 3, outputPer1M: 15, cachedInputPer1M: 0.3, cacheWritePer1M: 3.75 };

  it('bills reads, writes and the rest of the prompt each at its own price', () => {
    // 1000 read × 0.3 + 200 written × 3.75 + 50 plain × 3 + 20 out × 15 µ$.
    expect(chargeMicros(price, { inputTokens: 1250, outputTokens: 20, cacheReadTokens: 1000, cacheWriteTokens: 200 }, 0)).toBe(1500);
    expect(chargeMicros(price, { inputTokens: 1250, outputTokens: 20, cacheReadTokens: 1000, cacheWriteTokens: 200 }, 0.1)).toBe(1650);
  });

  it('falls back to the input price, and never bills more cached tokens than the prompt has', () => {
    expect(chargeMicros({ inputPer1M: 2, outputPer1M: 0 }, { inputTokens: 100, outputTokens: 0, cacheReadTokens: 50, cacheWriteTokens: 50 }, 0)).toBe(200);
    expect(chargeMicros(price, { inputTokens: 100, outputTokens: 0, cacheReadTokens: 80, cacheWriteTokens: 500 }, 0)).toBe(80 * 0.3 + 20 * 3.75);
  });
});
