import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Candidate, Policy } from '../../../src/plugins/types.js';
import { candidate, testContext } from '../../../test/helpers/policy-context.js';
import { seededRandom } from '../../../test/helpers/seeded-random.js';
import bandit from './index.js';
import { BANDIT_DEFAULTS, type BanditOptions } from './options.js';

const ROUTE = { category: 'code', subcategory: 'debugging' };
const ARMS = [candidate('a'), candidate('b'), candidate('c')];

function make(random: () => number, options: Partial<BanditOptions> = {}) {
  return bandit.create({ ...BANDIT_DEFAULTS, ...options }, testContext(random)) as Required<Policy>;
}

function ids(list: readonly Candidate[]): string[] {
  return list.map((c) => c.modelId);
}

/** Runs `steps` requests where arm i succeeds with probability rates[i]; returns first choices. */
function play(policy: Required<Policy>, rates: Record<string, number>, world: () => number, steps: number): string[] {
  const firsts: string[] = [];
  for (let i = 0; i < steps; i++) {
    const first = policy.rank(ARMS, ROUTE)[0] as Candidate;
    firsts.push(first.modelId);
    const ok = world() < (rates[first.modelId] ?? 0);
    policy.observe({ category: ROUTE.category, modelId: first.modelId, ok, latencyMs: 100, costUsd: 0.001 });
  }
  return firsts;
}

const RATES = { a: 0.3, b: 0.85, c: 0.6 };

describe('bandit policy', () => {
  it('has defaults in its schema that match BANDIT_DEFAULTS', () => {
    const options: unknown = {};
    expect(new Ajv({ useDefaults: true }).validate(bandit.optionsSchema, options)).toBe(true);
    expect(options).toEqual(BANDIT_DEFAULTS);
  });

  it('ranks deterministically for a seed', () => {
    const run = (seed: number) => play(make(seededRandom(seed)), RATES, seededRandom(100), 200);
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('converges to the best arm', () => {
    const firsts = play(make(seededRandom(5)), RATES, seededRandom(6), 1500);
    const tail = firsts.slice(-300);
    expect(tail.filter((id) => id === 'b').length / tail.length).toBeGreaterThan(0.85);
  });

  it('puts unhealthy candidates last and never samples them', () => {
    const policy = make(seededRandom(3));
    const list = [candidate('x', 1, false), candidate('a'), candidate('y', 1, false), candidate('b')];
    for (let i = 0; i < 20; i++) expect(ids(policy.rank(list, ROUTE)).slice(2)).toEqual(['x', 'y']);
  });

  it('moves the posterior with feedback', () => {
    const policy = make(seededRandom(1));
    policy.feedback({ category: 'code', modelId: 'a', score: 1 });
    policy.feedback({ category: 'code', modelId: 'a', score: 0.5 });
    const [stats] = policy.stats();
    expect(stats).toMatchObject({ modelId: 'a', alpha: 2.5, beta: 1.5, pulls: 0 });
    expect(stats?.meanReward).toBeCloseTo(2.5 / 4);
  });

  it('reports stats per (category, model)', () => {
    const policy = make(seededRandom(1), { change_detection: false, discount: 1 });
    policy.observe({ category: 'code', modelId: 'a', ok: true, latencyMs: 100, costUsd: 0.002 });
    policy.observe({ category: 'code', modelId: 'a', ok: false, latencyMs: 300, costUsd: 0 });
    policy.observe({ category: 'text', modelId: 'a', ok: true, latencyMs: 50, costUsd: 0.001 });
    const byKey = new Map(policy.stats().map((s) => [`${s.category}/${s.modelId}`, s]));
    expect(byKey.get('code/a')).toEqual({
      category: 'code',
      modelId: 'a',
      pulls: 2,
      successes: 1,
      failures: 1,
      alpha: 2,
      beta: 2,
      meanReward: 0.5,
      avgLatencyMs: 200,
      avgCostUsd: 0.001,
    });
    expect(byKey.get('text/a')?.pulls).toBe(1);
  });

  it('reduces the reward of slow and expensive successes', () => {
    const policy = make(seededRandom(1), {
      change_detection: false,
      discount: 1,
      latency_weight: 0.2,
      latency_target_ms: 1000,
      cost_weight: 0.3,
      cost_target_usd: 0.01,
    });
    policy.observe({ category: 'code', modelId: 'a', ok: true, latencyMs: 2000, costUsd: 0.005 });
    const [stats] = policy.stats();
    // reward = 1 − 0.2 × 1 − 0.3 × 0.5 = 0.65
    expect(stats?.alpha).toBeCloseTo(1.65);
    expect(stats?.beta).toBeCloseTo(1.35);
  });

  it('lets old evidence fade with a discount', () => {
    const observeRun = (discount: number) => {
      const policy = make(seededRandom(1), { discount, change_detection: false });
      for (let i = 0; i < 50; i++) policy.observe({ category: 'code', modelId: 'a', ok: false, latencyMs: 1, costUsd: 0 });
      for (let i = 0; i < 50; i++) policy.observe({ category: 'code', modelId: 'a', ok: true, latencyMs: 1, costUsd: 0 });
      return policy.stats()[0]?.meanReward ?? 0;
    };
    expect(observeRun(1)).toBeCloseTo(0.5);
    expect(observeRun(0.9)).toBeGreaterThan(0.9);
  });

  /** a at 90% and b at 70% over 100 attempts each (deterministic), so a leads b clearly. */
  function seeded(options: Partial<BanditOptions> = {}) {
    const policy = make(seededRandom(4), { discount: 1, ...options });
    for (let i = 0; i < 100; i++) {
      policy.observe({ category: 'code', modelId: 'a', ok: i % 10 !== 0, latencyMs: 1, costUsd: 0 });
      policy.observe({ category: 'code', modelId: 'b', ok: i % 10 < 7, latencyMs: 1, costUsd: 0 });
    }
    return policy;
  }
  const AB = [candidate('a'), candidate('b')];
  const firstOf = (policy: Required<Policy>) => (policy.rank(AB, ROUTE)[0] as Candidate).modelId;
  const observeA = (policy: Required<Policy>, ok: boolean) => policy.observe({ category: 'code', modelId: 'a', ok, latencyMs: 1, costUsd: 0 });
  const evidence = (policy: Required<Policy>, id: string) => {
    const s = policy.stats().find((x) => x.modelId === id);
    return (s?.alpha ?? 0) + (s?.beta ?? 0) - 2;
  };

  it('puts the runner-up on trial when the leader seems to fall behind it, then ends an unconfirmed trial', () => {
    const policy = seeded();
    for (let i = 0; i < 50; i++) expect(firstOf(policy)).toBe('a');
    for (let i = 0; i < 3; i++) observeA(policy, false);
    // The evidence for a swap passed change_threshold: b is first for the whole trial, a stays second.
    for (let i = 0; i < BANDIT_DEFAULTS.trial_requests + 5; i++) expect(ids(policy.rank(AB, ROUTE))).toEqual(['b', 'a']);
    // a recovers: the statistic drops below the threshold, so the trial ends at the next request.
    for (let i = 0; i < 3; i++) observeA(policy, true);
    for (let i = 0; i < 50; i++) expect(firstOf(policy)).toBe('a');
  });

  it('does not start trials without change detection', () => {
    const policy = seeded({ change_detection: false });
    for (let i = 0; i < 3; i++) observeA(policy, false);
    for (let i = 0; i < 50; i++) expect(firstOf(policy)).toBe('a');
  });

  it('confirms a swap by letting the two arms re-learn from recent outcomes', () => {
    const policy = seeded();
    firstOf(policy);
    expect(evidence(policy, 'a')).toBeGreaterThan(99);
    for (let i = 0; i < 4; i++) observeA(policy, false);
    expect(evidence(policy, 'a')).toBeGreaterThan(99);
    for (let i = 0; i < 4; i++) observeA(policy, false);
    // commit_threshold passed: both keep at most reset_pulls effective observations (+ the ones since).
    expect(evidence(policy, 'a')).toBeLessThan(BANDIT_DEFAULTS.reset_pulls + 5);
    expect(evidence(policy, 'b')).toBeCloseTo(BANDIT_DEFAULTS.reset_pulls);
    expect(policy.stats().find((x) => x.modelId === 'a')?.pulls).toBe(108);
    expect(firstOf(policy)).toBe('b');
  });

  it('keeps most first choices on the best arm and follows a swap, even without fallback observations', () => {
    const world = seededRandom(21);
    const steady = play(make(seededRandom(20)), RATES, world, 1500).slice(-500);
    expect(steady.filter((id) => id === 'b').length / steady.length).toBeGreaterThan(0.75);
    const policy = make(seededRandom(20));
    play(policy, RATES, seededRandom(21), 1000);
    const after = play(policy, { a: 0.3, b: 0.6, c: 0.85 }, seededRandom(22), 600).slice(-300);
    expect(after.filter((id) => id === 'c').length / after.length).toBeGreaterThan(0.75);
  });

  it('restores older snapshots: CUSUM fields ignored, missing fields 0, no watches', () => {
    const policy = make(seededRandom(1));
    policy.restore({
      version: 1,
      arms: [
        {
          category: 'code',
          modelId: 'a',
          evidenceSuccess: 3,
          evidenceFailure: 1,
          pulls: 4,
          successes: 3,
          failures: 1,
          latencySumMs: 40,
          costSumUsd: 0,
          cusumDown: 0.5,
          cusumUp: 0,
        },
        { category: 'code', modelId: 'b', evidenceSuccess: 2, evidenceFailure: 2, pulls: 4 },
      ],
    });
    const byId = new Map(policy.stats().map((s) => [s.modelId, s]));
    expect(byId.get('a')).toMatchObject({ alpha: 4, beta: 2, pulls: 4, avgLatencyMs: 10 });
    expect(byId.get('b')).toMatchObject({ alpha: 3, beta: 3, successes: 0, avgCostUsd: 0 });
    expect((policy.snapshot() as { watches: unknown[] }).watches).toEqual([]);
  });

  it('continues identically after snapshot → JSON → restore into a new instance', () => {
    const seed = 11;
    let calls = 0;
    const base = seededRandom(seed);
    const counted = () => {
      calls++;
      return base();
    };
    const world = seededRandom(12);
    const original = make(counted);
    play(original, RATES, world, 400);
    original.feedback({ category: 'code', modelId: 'c', score: 0.7 });

    const copyRandom = seededRandom(seed);
    for (let i = 0; i < calls; i++) copyRandom();
    const restored = make(copyRandom);
    restored.restore(JSON.parse(JSON.stringify(original.snapshot())));
    expect(restored.stats()).toEqual(original.stats());

    const worldA = seededRandom(13);
    const worldB = seededRandom(13);
    expect(play(restored, RATES, worldB, 300)).toEqual(play(original, RATES, worldA, 300));
    expect(restored.stats()).toEqual(original.stats());
  });

  it('ignores garbage on restore', () => {
    const policy = make(seededRandom(1));
    play(policy, RATES, seededRandom(2), 50);
    const known = policy.stats();
    for (const junk of [null, undefined, 42, 'x', [], {}, { version: 2, arms: [] }, { version: 1, arms: 'nope' }]) {
      policy.restore(junk);
      expect(policy.stats()).toEqual(known);
    }

    const good = (policy.snapshot() as { arms: Record<string, unknown>[] }).arms[0] ?? {};
    policy.restore({
      version: 1,
      arms: [
        null,
        7,
        { ...good, evidenceSuccess: -1 },
        { ...good, pulls: Number.POSITIVE_INFINITY },
        { ...good, costSumUsd: '3' },
        { ...good, category: '' },
        { ...good, modelId: 5 },
        { ...good, modelId: 'kept' },
      ],
    });
    expect(policy.stats().map((s) => s.modelId)).toEqual(['kept']);
  });

  it('does not create state when ranking unknown arms', () => {
    const policy = make(seededRandom(1));
    policy.rank([candidate('new')], ROUTE);
    expect(policy.stats()).toEqual([]);
  });
});
