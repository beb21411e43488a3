/**
 * Thompson sampling over a Beta posterior per (category, model), with per-arm discounting,
 * posterior sharpening for well-measured arms, and CUSUM change detection that shrinks a
 * category's evidence when an arm's reward shifts. Sync, no I/O; rank() is O(candidates).
 */
import type { AttemptOutcome, Candidate, FeedbackOutcome, Policy, PolicyArmStats, RoutingInput } from '../../../src/plugins/types.js';
import { addEvidence, effectivePulls, newArm, posteriorMean, recordAttempt, shrinkEvidence, type ArmState, type Prior } from './arm.js';
import { sampleBeta, type Uniform } from './beta-sampler.js';
import { cusumStep, type ChangeTest } from './change-detector.js';
import type { BanditOptions } from './options.js';
import { fromSnapshot, toSnapshot, type ArmTable } from './state.js';

export interface BanditPolicy extends Policy {
  observe(outcome: AttemptOutcome): void;
  feedback(outcome: FeedbackOutcome): void;
  snapshot(): unknown;
  restore(state: unknown): void;
  stats(): readonly PolicyArmStats[];
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) && x >= 0 ? x : fallback;
}

export function createBanditPolicy(options: Readonly<BanditOptions>, random: Uniform): BanditPolicy {
  const prior: Prior = [options.prior[0], options.prior[1]];
  const changeTest: ChangeTest = {
    delta: options.change_delta,
    threshold: options.change_threshold,
    minPulls: options.change_min_pulls,
  };
  let arms: ArmTable = new Map();

  function armFor(category: string, modelId: string): ArmState {
    let byModel = arms.get(category);
    if (!byModel) {
      byModel = new Map();
      arms.set(category, byModel);
    }
    let arm = byModel.get(modelId);
    if (!arm) {
      arm = newArm();
      byModel.set(modelId, arm);
    }
    return arm;
  }

  function sample(arm: ArmState | undefined): number {
    if (!arm) return sampleBeta(prior[0], prior[1], random);
    const k = 1 + (options.sharpen - 1) * Math.min(1, effectivePulls(arm) / options.sharpen_pulls);
    return sampleBeta(prior[0] + k * arm.evidenceSuccess, prior[1] + k * arm.evidenceFailure, random);
  }

  function reward(outcome: AttemptOutcome): number {
    if (!outcome.ok) return 0;
    const latency = finiteOr(outcome.latencyMs, 0) / options.latency_target_ms;
    const cost = finiteOr(outcome.costUsd, 0) / options.cost_target_usd;
    return clamp01(1 - options.latency_weight * Math.min(1, latency) - options.cost_weight * Math.min(1, cost));
  }

  return {
    rank(candidates: readonly Candidate[], input: RoutingInput): readonly Candidate[] {
      const byModel = arms.get(input.category);
      const scored = candidates.map((candidate, index) => ({
        candidate,
        index,
        score: candidate.healthy ? sample(byModel?.get(candidate.modelId)) : -1,
      }));
      scored.sort((a, b) => b.score - a.score || a.index - b.index);
      return scored.map((s) => s.candidate);
    },

    observe(outcome: AttemptOutcome): void {
      const arm = armFor(outcome.category, outcome.modelId);
      const r = reward(outcome);
      const changed =
        options.change_detection && cusumStep(arm, r, posteriorMean(arm, prior), effectivePulls(arm), changeTest);
      addEvidence(arm, r, options.discount);
      recordAttempt(arm, outcome.ok, finiteOr(outcome.latencyMs, 0), finiteOr(outcome.costUsd, 0));
      if (changed) {
        // One arm shifting suggests the category's world moved: let every arm re-learn quickly.
        for (const other of arms.get(outcome.category)?.values() ?? []) shrinkEvidence(other, options.reset_pulls);
      }
    },

    feedback(outcome: FeedbackOutcome): void {
      if (!Number.isFinite(outcome.score)) return;
      const score = clamp01(outcome.score);
      const arm = armFor(outcome.category, outcome.modelId);
      arm.evidenceSuccess += score;
      arm.evidenceFailure += 1 - score;
    },

    snapshot(): unknown {
      return structuredClone(toSnapshot(arms));
    },

    restore(state: unknown): void {
      const table = fromSnapshot(state);
      if (table) arms = table;
    },

    stats(): readonly PolicyArmStats[] {
      const out: PolicyArmStats[] = [];
      for (const [category, byModel] of arms) {
        for (const [modelId, arm] of byModel) {
          const alpha = prior[0] + arm.evidenceSuccess;
          const beta = prior[1] + arm.evidenceFailure;
          out.push({
            category,
            modelId,
            pulls: arm.pulls,
            successes: arm.successes,
            failures: arm.failures,
            alpha,
            beta,
            meanReward: alpha / (alpha + beta),
            avgLatencyMs: arm.pulls > 0 ? arm.latencySumMs / arm.pulls : 0,
            avgCostUsd: arm.pulls > 0 ? arm.costSumUsd / arm.pulls : 0,
          });
        }
      }
      return out;
    },
  };
}
