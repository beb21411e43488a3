import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../src/plugins/types.js';
import { testContext } from '../../../test/helpers/policy-context.js';
import cheapest from './index.js';

const ROUTE = { category: 'text', subcategory: 'general' };
const model = (modelId: string, inputPer1M: number, outputPer1M: number, healthy = true): Candidate => ({
  modelId,
  provider: 'p',
  inputPer1M,
  outputPer1M,
  healthy,
});

function withDefaults(options: object): { input_weight: number } {
  const copy = { ...options };
  if (!new Ajv({ useDefaults: true }).validate(cheapest.optionsSchema, copy)) throw new Error('invalid');
  return copy as { input_weight: number };
}

async function order(list: Candidate[], options: object = {}): Promise<string[]> {
  const policy = await cheapest.create(
    withDefaults(options),
    testContext(() => 0.5),
  );
  return policy.rank(list, ROUTE).map((c) => c.modelId);
}

describe('cheapest policy', () => {
  it('sorts by blended price with input_weight 0.75 by default', async () => {
    // blended: big 0.75×10+0.25×30 = 15; mid 0.75×2+0.25×40 = 11.5; small 0.75×1+0.25×2 = 1.25
    expect(await order([model('big', 10, 30), model('mid', 2, 40), model('small', 1, 2)])).toEqual(['small', 'mid', 'big']);
  });

  it('honours input_weight', async () => {
    // weight 0: output price only → big (30) is cheaper than mid (40)
    expect(await order([model('mid', 2, 40), model('big', 10, 30)], { input_weight: 0 })).toEqual(['big', 'mid']);
  });

  it('keeps the configured order on ties', async () => {
    expect(await order([model('x', 1, 1), model('y', 1, 1), model('z', 0.5, 0.5), model('w', 1, 1)])).toEqual(['z', 'x', 'y', 'w']);
  });

  it('puts unhealthy candidates last', async () => {
    expect(await order([model('free', 0, 0, false), model('pricey', 5, 5), model('cheap', 1, 1)])).toEqual(['cheap', 'pricey', 'free']);
  });

  it('validates its options', () => {
    const ajv = new Ajv();
    expect(ajv.validate(cheapest.optionsSchema, { input_weight: 2 })).toBe(false);
    expect(ajv.validate(cheapest.optionsSchema, { other: 1 })).toBe(false);
  });
});
