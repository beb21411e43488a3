import type { Candidate, PolicyPlugin } from '../../../src/plugins/types.js';

type FixedOptions = Record<string, never>;

/** The configured order, with candidates the circuit breaker holds open moved to the end. */
export function healthyFirst(candidates: readonly Candidate[]): Candidate[] {
  return [...candidates.filter((c) => c.healthy), ...candidates.filter((c) => !c.healthy)];
}

const fixed: PolicyPlugin<FixedOptions> = {
  apiVersion: 1,
  kind: 'policy',
  name: 'fixed',
  description: 'Always tries the configured models in order: the first is primary, the rest are fallbacks.',
  optionsSchema: { type: 'object', additionalProperties: false, required: [], properties: {} } as PolicyPlugin<FixedOptions>['optionsSchema'],
  create() {
    return { rank: (candidates) => healthyFirst(candidates) };
  },
};

export default fixed;
