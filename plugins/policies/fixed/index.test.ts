import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { candidate, testContext } from '../../../test/helpers/policy-context.js';
import fixed from './index.js';

const ROUTE = { category: 'text', subcategory: 'general' };

describe('fixed policy', () => {
  it('keeps the configured order', async () => {
    const p = await fixed.create(
      {},
      testContext(() => 0.5),
    );
    const list = [candidate('primary', 9), candidate('second', 1), candidate('third', 5)];
    expect(p.rank(list, ROUTE).map((c) => c.modelId)).toEqual(['primary', 'second', 'third']);
  });

  it('moves unhealthy candidates to the end, keeping their order', async () => {
    const p = await fixed.create(
      {},
      testContext(() => 0.5),
    );
    const list = [candidate('a', 1, false), candidate('b'), candidate('c', 1, false), candidate('d')];
    expect(p.rank(list, ROUTE).map((c) => c.modelId)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('takes no options', () => {
    const ajv = new Ajv();
    expect(ajv.validate(fixed.optionsSchema, {})).toBe(true);
    expect(ajv.validate(fixed.optionsSchema, { model: 'x' })).toBe(false);
  });
});
