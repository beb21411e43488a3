/** Test-only helpers: a PluginContext around a seeded random, and candidates. */
import type { Candidate, PluginContext } from '../../src/plugins/types.js';

export function testContext(random: () => number): PluginContext {
  const unused = (): never => {
    throw new Error('not used by policies');
  };
  return {
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    clock: () => 0,
    random,
    http: { send: unused, close: async () => {} },
    secrets: { resolve: () => undefined },
    keyring: { verify: unused },
  };
}

export function candidate(modelId: string, price = 1, healthy = true): Candidate {
  return { modelId, provider: 'p', inputPer1M: price, outputPer1M: price * 4, healthy };
}
