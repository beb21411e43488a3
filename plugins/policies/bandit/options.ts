import type { JSONSchemaType } from 'ajv';

export interface BanditOptions {
  prior: [number, number];
  discount: number;
  latency_weight: number;
  latency_target_ms: number;
  cost_weight: number;
  cost_target_usd: number;
  sharpen: number;
  sharpen_pulls: number;
  change_detection: boolean;
  change_delta: number;
  change_threshold: number;
  change_min_pulls: number;
  reset_pulls: number;
}

/** Defaults tuned with `npm run eval:routing` (docs/routing-eval.md). */
export const BANDIT_DEFAULTS: Readonly<BanditOptions> = {
  prior: [1, 1],
  discount: 0.987,
  latency_weight: 0,
  latency_target_ms: 10_000,
  cost_weight: 0,
  cost_target_usd: 0.01,
  sharpen: 16,
  sharpen_pulls: 60,
  change_detection: true,
  change_delta: 0.06,
  change_threshold: 3,
  change_min_pulls: 30,
  reset_pulls: 25,
};

const positive = (description: string, dflt: number) =>
  ({ type: 'number', exclusiveMinimum: 0, default: dflt, description }) as const;
const weight = (description: string) => ({ type: 'number', minimum: 0, maximum: 1, default: 0, description }) as const;

export const banditOptionsSchema: JSONSchemaType<BanditOptions> = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    prior: {
      type: 'array',
      items: [
        { type: 'number', exclusiveMinimum: 0 },
        { type: 'number', exclusiveMinimum: 0 },
      ],
      minItems: 2,
      maxItems: 2,
      default: [...BANDIT_DEFAULTS.prior],
      description: 'Beta prior [alpha, beta] every (category, model) arm starts from.',
    },
    discount: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: BANDIT_DEFAULTS.discount,
      description: "Factor applied to an arm's evidence each time the arm is observed, so old outcomes fade (1 = never forget).",
    },
    latency_weight: weight('How much a slow success is penalised: reward −= latency_weight × min(1, latency / latency_target_ms).'),
    latency_target_ms: positive('Latency at which the latency penalty reaches its full weight.', BANDIT_DEFAULTS.latency_target_ms),
    cost_weight: weight('How much an expensive success is penalised: reward −= cost_weight × min(1, cost / cost_target_usd).'),
    cost_target_usd: positive('Cost of one attempt at which the cost penalty reaches its full weight.', BANDIT_DEFAULTS.cost_target_usd),
    sharpen: {
      type: 'number',
      minimum: 1,
      default: BANDIT_DEFAULTS.sharpen,
      description: "Factor by which a well-measured arm's posterior is narrowed when sampling (1 = plain Thompson sampling).",
    },
    sharpen_pulls: positive('Effective observations over which sharpening ramps up from 1, so barely-tried arms keep wide posteriors.', BANDIT_DEFAULTS.sharpen_pulls),
    change_detection: {
      type: 'boolean',
      default: BANDIT_DEFAULTS.change_detection,
      description: "Whether a CUSUM test on each arm's rewards watches for a shift and, on one, shrinks the category's evidence.",
    },
    change_delta: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 0.5,
      default: BANDIT_DEFAULTS.change_delta,
      description: 'Smallest shift in an arm\'s mean reward (up or down) the change test is tuned to detect.',
    },
    change_threshold: positive('Log-likelihood ratio at which the change test fires; higher means fewer false alarms and slower detection.', BANDIT_DEFAULTS.change_threshold),
    change_min_pulls: {
      type: 'number',
      minimum: 0,
      default: BANDIT_DEFAULTS.change_min_pulls,
      description: 'Effective observations an arm needs before its rewards are tested for a change.',
    },
    reset_pulls: {
      type: 'number',
      minimum: 0,
      default: BANDIT_DEFAULTS.reset_pulls,
      description: 'On a detected change, every arm of the category keeps at most this many effective observations (its mean is kept).',
    },
  },
};
