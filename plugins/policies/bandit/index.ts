import type { PolicyPlugin } from '../../../src/plugins/types.js';
import { createBanditPolicy } from './bandit-policy.js';
import { banditOptionsSchema, type BanditOptions } from './options.js';

const bandit: PolicyPlugin<BanditOptions> = {
  apiVersion: 1,
  kind: 'policy',
  name: 'bandit',
  description: 'Learns which model serves each category best by Thompson sampling over success, latency, cost and feedback.',
  optionsSchema: banditOptionsSchema,
  create(options, ctx) {
    return createBanditPolicy(options, () => ctx.random());
  },
};

export default bandit;
