/**
 * A routing simulation that drives the real policy plugins: each policy is built with its
 * plugin's create() and default options (applied by ajv, as the loader does), with a seeded
 * ctx.random. Four fake models; a request goes to the policy's first choice and, on failure,
 * falls back along its ranking (up to 3 attempts, like routing.max_attempts); every attempt
 * is observed. Share and regret are measured on the first choice.
 */
import { Ajv } from 'ajv';
import bandit from '../plugins/policies/bandit/index.js';
import cheapest from '../plugins/policies/cheapest/index.js';
import fixed from '../plugins/policies/fixed/index.js';
import type { Candidate, Policy, PluginContext, PolicyPlugin } from '../src/plugins/types.js';
import { seededRandom } from '../test/helpers/seeded-random.js';

export interface SimModel {
  readonly id: string;
  readonly successRate: number;
  readonly inputPer1M: number;
  readonly outputPer1M: number;
  readonly latencyMs: number;
}

export const SIM_MODELS: readonly SimModel[] = [
  { id: 'atlas-pro', successRate: 0.82, inputPer1M: 3, outputPer1M: 15, latencyMs: 1800 },
  { id: 'borealis', successRate: 0.76, inputPer1M: 0.8, outputPer1M: 4, latencyMs: 1100 },
  { id: 'cirrus-mini', successRate: 0.6, inputPer1M: 0.15, outputPer1M: 0.6, latencyMs: 600 },
  { id: 'dune-nano', successRate: 0.4, inputPer1M: 0.05, outputPer1M: 0.2, latencyMs: 400 },
];

export type PolicyName = 'bandit' | 'cheapest' | 'fixed' | 'random';
export type Scenario = 'stationary' | 'nonstationary' | 'restart';

export const REQUESTS = 2000;
export const CHANGE_AT = 1000;
export const MAX_ATTEMPTS = 3;
const INPUT_TOKENS = 500;
const OUTPUT_TOKENS = 300;
const ROUTE = { category: 'text', subcategory: 'general' } as const;

export interface RunResult {
  /** Index into SIM_MODELS of the first choice, per request. */
  readonly primary: Int8Array;
  /** Index of the best model at each request. */
  readonly best: Int8Array;
  /** Expected success lost by the first choice vs the best model, per request. */
  readonly regret: Float64Array;
}

function successRates(scenario: Scenario, request: number): number[] {
  const rates = SIM_MODELS.map((m) => m.successRate);
  if (scenario === 'nonstationary' && request >= CHANGE_AT) {
    // The best two models swap.
    return [rates[1] ?? 0, rates[0] ?? 0, ...rates.slice(2)];
  }
  return rates;
}

function makeContext(random: () => number): PluginContext {
  const unused = (): never => {
    throw new Error('not available in the simulation');
  };
  let now = 1_700_000_000_000;
  return {
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    clock: () => (now += 1000),
    random,
    http: { send: unused, close: async () => {} },
    secrets: { resolve: () => undefined },
    keyring: { verify: unused },
  };
}

function withDefaults<O>(plugin: PolicyPlugin<O>, options: object): O {
  const ajv = new Ajv({ useDefaults: true, strict: false });
  const copy: unknown = structuredClone(options);
  if (!ajv.validate(plugin.optionsSchema, copy)) throw new Error(`${plugin.name}: ${ajv.errorsText()}`);
  return copy as O;
}

function uniformRandom(ctx: PluginContext): Policy {
  return {
    rank(candidates) {
      const out = [...candidates];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(ctx.random() * (i + 1));
        [out[i], out[j]] = [out[j] as Candidate, out[i] as Candidate];
      }
      return out;
    },
  };
}

/** Builds a policy through the real plugin; `fixed` is pointed at cirrus-mini (a mediocre model). */
export async function createSimPolicy(name: PolicyName, ctx: PluginContext, banditOptions: object = {}): Promise<Policy> {
  switch (name) {
    case 'bandit':
      return bandit.create(withDefaults(bandit, banditOptions), ctx);
    case 'cheapest':
      return cheapest.create(withDefaults(cheapest, {}), ctx);
    case 'fixed':
      return fixed.create(withDefaults(fixed, {}), ctx);
    case 'random':
      return uniformRandom(ctx);
  }
}

export function candidatesFor(name: PolicyName): Candidate[] {
  const all = SIM_MODELS.map((m) => ({
    modelId: m.id,
    provider: 'sim',
    inputPer1M: m.inputPer1M,
    outputPer1M: m.outputPer1M,
    healthy: true,
  }));
  if (name !== 'fixed') return all;
  const mediocre = all.findIndex((c) => c.modelId === 'cirrus-mini');
  return [...all.slice(mediocre), ...all.slice(0, mediocre)];
}

export async function runSimulation(name: PolicyName, scenario: Scenario, seed: number, banditOptions: object = {}): Promise<RunResult> {
  const policyRandom = seededRandom(1_000_003 * seed + 17);
  const worldRandom = seededRandom(2_000_029 * seed + 91);
  const ctx = makeContext(policyRandom);
  let policy = await createSimPolicy(name, ctx, banditOptions);
  const candidates = candidatesFor(name);
  const index = new Map(SIM_MODELS.map((m, i) => [m.id, i]));
  const primary = new Int8Array(REQUESTS);
  const best = new Int8Array(REQUESTS);
  const regret = new Float64Array(REQUESTS);

  for (let t = 0; t < REQUESTS; t++) {
    if (scenario === 'restart' && t === CHANGE_AT) {
      // What the host does across a restart: persist the snapshot as JSON, build a new instance, restore.
      const saved = JSON.stringify(policy.snapshot?.());
      policy = await createSimPolicy(name, ctx, banditOptions);
      policy.restore?.(JSON.parse(saved) as unknown);
    }
    const rates = successRates(scenario, t);
    const bestRate = Math.max(...rates);
    best[t] = rates.indexOf(bestRate);
    const ranked = policy.rank(candidates, ROUTE);
    for (let attempt = 0; attempt < Math.min(MAX_ATTEMPTS, ranked.length); attempt++) {
      const candidate = ranked[attempt] as Candidate;
      const i = index.get(candidate.modelId) ?? 0;
      const model = SIM_MODELS[i] as SimModel;
      if (attempt === 0) {
        primary[t] = i;
        regret[t] = bestRate - (rates[i] ?? 0);
      }
      const ok = worldRandom() < (rates[i] ?? 0);
      const latencyMs = model.latencyMs * (0.5 + worldRandom());
      const costUsd = ok ? (INPUT_TOKENS * model.inputPer1M + OUTPUT_TOKENS * model.outputPer1M) / 1e6 : 0;
      policy.observe?.({ category: ROUTE.category, modelId: model.id, ok, latencyMs, costUsd });
      if (ok) break;
    }
  }
  return { primary, best, regret };
}

/** Share of requests in [from, to) whose first choice was the best model. */
export function bestShare(run: RunResult, from: number, to: number): number {
  let hits = 0;
  for (let t = from; t < to; t++) if (run.primary[t] === run.best[t]) hits++;
  return hits / (to - from);
}

export const SHARE_WINDOW = 50;
export const RECOVERY_LIMIT = 300;

/**
 * Requests after the change until the share of the new best model over the trailing
 * SHARE_WINDOW requests first reaches 50%, or null if it never does.
 */
export function recoveryTime(run: RunResult): number | null {
  for (let t = CHANGE_AT; t < REQUESTS; t++) {
    const from = Math.max(0, t - SHARE_WINDOW + 1);
    let hits = 0;
    for (let k = from; k <= t; k++) if (run.primary[k] === run.best[t]) hits++;
    if (hits * 2 >= SHARE_WINDOW) return t - CHANGE_AT + 1;
  }
  return null;
}
