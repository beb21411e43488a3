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
  trial_requests: number;
  commit_threshold: number;
}

/** Defaults tuned with `npm run eval:routing` (docs/routing-eval.md). */
export const BANDIT_DEFAULTS: Readonly<BanditOptions> = {
  prior: [1, 1],
  discount: 0.997,
  latency_weight: 0,
  latency_target_ms: 10_000,
  cost_weight: 0,
  cost_target_usd: 0.01,
  sharpen: 16,
  sharpen_pulls: 60,
  change_detection: true,
  change_delta: 0.1,
  change_threshold: 2.5,
  change_min_pulls: 40,
  reset_pulls: 40,
  trial_requests: 25,
  commit_threshold: 4,
};

const positive = (description: string, dflt: number) => ({ type: 'number', exclusiveMinimum: 0, default: dflt, description }) as const;
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
    sharpen_pulls: positive(
      'Effective observations over which sharpening ramps up from 1, so barely-tried arms keep wide posteriors.',
      BANDIT_DEFAULTS.sharpen_pulls,
    ),
    change_detection: {
      type: 'boolean',
      default: BANDIT_DEFAULTS.change_detection,
      description: "Whether each category's two best arms are watched for a reversal, putting the runner-up on trial when one is suspected.",
    },
    change_delta: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 0.5,
      default: BANDIT_DEFAULTS.change_delta,
      description: 'Smallest gap between leader and runner-up that the reversal test assumes when it tests whether the two swapped.',
    },
    change_threshold: positive(
      'Log-likelihood ratio of a swap at which the runner-up is put on trial; higher means fewer needless trials and slower recovery.',
      BANDIT_DEFAULTS.change_threshold,
    ),
    change_min_pulls: {
      type: 'number',
      minimum: 0,
      default: BANDIT_DEFAULTS.change_min_pulls,
      description: 'Effective observations an arm needs before it can be the leader watched by the reversal test (keep it at most reset_pulls).',
    },
    reset_pulls: {
      type: 'number',
      minimum: 0,
      default: BANDIT_DEFAULTS.reset_pulls,
      description: 'On a confirmed swap, the leader and runner-up keep at most this many effective observations (their means are kept).',
    },
    trial_requests: {
      type: 'integer',
      minimum: 1,
      default: BANDIT_DEFAULTS.trial_requests,
      description: 'Requests for which a runner-up on trial is the first choice before the trial can end.',
    },
    commit_threshold: positive(
      'Log-likelihood ratio of a swap at which a trial is confirmed and the two arms re-learn from recent outcomes.',
      BANDIT_DEFAULTS.commit_threshold,
    ),
  },
};
