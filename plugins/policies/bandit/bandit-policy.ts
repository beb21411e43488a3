/**
 * Thompson sampling over a Beta posterior per (category, model), with slow per-arm discounting
 * and posterior sharpening for well-measured arms, plus runner-up trials: a ranking-reversal test
 * watches each category's two best arms; when it fires, the runner-up becomes the first choice
 * for a block of requests (the leader stays second, so it is still measured on fallbacks), and if
 * the evidence for the swap keeps growing both arms' evidence is shrunk so recent outcomes decide
 * the order. Sync, no I/O; rank() is O(candidates).
 */
import type { AttemptOutcome, Candidate, FeedbackOutcome, Policy, PolicyArmStats, RoutingInput } from '../../../src/plugins/types.js';
import { addEvidence, effectivePulls, newArm, posteriorMean, recordAttempt, shrinkEvidence, type ArmState, type Prior } from './arm.js';
import { sampleBeta, type Uniform } from './beta-sampler.js';
import { reversalStep, type ReversalTest } from './change-detector.js';
import type { BanditOptions } from './options.js';
import { fromSnapshot, toSnapshot, type ArmTable, type Watch, type WatchTable } from './state.js';

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
  const reversalTest: ReversalTest = { minGap: options.change_delta };
  let arms: ArmTable = new Map();
  let watches: WatchTable = new Map();

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

  /**
   * Finds the category's leader (well-measured) and runner-up among the healthy candidates, and
   * starts or ends the runner-up's trial. Returns the model on trial, if any.
   */
  function updateWatch(category: string, byModel: Map<string, ArmState>, candidates: readonly Candidate[]): string | undefined {
    let leader = '';
    let runnerUp = '';
    let best = -1;
    let second = -1;
    for (const candidate of candidates) {
      const arm = byModel.get(candidate.modelId);
      if (!candidate.healthy || !arm) continue;
      const mean = posteriorMean(arm, prior);
      // A barely-measured arm may be the runner-up (a trial is how it gets measured), not the leader.
      if (mean > best && effectivePulls(arm) >= options.change_min_pulls) {
        runnerUp = leader;
        second = best;
        leader = candidate.modelId;
        best = mean;
      } else if (mean > second) {
        runnerUp = candidate.modelId;
        second = mean;
      }
    }
    if (runnerUp === '') {
      watches.delete(category);
      return undefined;
    }
    let watch = watches.get(category);
    if (!watch || watch.leader !== leader || watch.runnerUp !== runnerUp) {
      watch = { leader, runnerUp, statistic: 0, trialAge: -1 };
      watches.set(category, watch);
    }
    if (watch.trialAge >= options.trial_requests && watch.statistic < options.change_threshold) {
      // The trial did not strengthen the case for a swap: back to the leader, with a fresh test.
      watch.trialAge = -1;
      watch.statistic = 0;
    } else if (watch.trialAge < 0 && watch.statistic > options.change_threshold) {
      watch.trialAge = 0;
    }
    if (watch.trialAge < 0) return undefined;
    watch.trialAge += 1;
    return runnerUp;
  }

  function testReversal(watch: Watch, byModel: Map<string, ArmState> | undefined, modelId: string, r: number): void {
    const leader = byModel?.get(watch.leader);
    const runnerUp = byModel?.get(watch.runnerUp);
    if (!leader || !runnerUp) return;
    const isLeader = modelId === watch.leader;
    const pLeader = posteriorMean(leader, prior);
    const pRunnerUp = posteriorMean(runnerUp, prior);
    watch.statistic = reversalStep(watch.statistic, r, isLeader, pLeader, pRunnerUp, reversalTest);
    if (watch.statistic > options.commit_threshold) {
      // Strong evidence of a swap: let recent outcomes decide the order, and keep the trial going.
      shrinkEvidence(leader, options.reset_pulls);
      shrinkEvidence(runnerUp, options.reset_pulls);
      watch.statistic = options.change_threshold;
      watch.trialAge = 0;
    }
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
      const onTrial = options.change_detection && byModel ? updateWatch(input.category, byModel, candidates) : undefined;
      const scored = candidates.map((candidate, index) => {
        const score = candidate.healthy ? sample(byModel?.get(candidate.modelId)) : -1;
        // Samples are drawn for every healthy candidate, so the random stream does not depend on trials.
        return { candidate, index, score: candidate.modelId === onTrial ? 2 : score };
      });
      scored.sort((a, b) => b.score - a.score || a.index - b.index);
      return scored.map((s) => s.candidate);
    },

    observe(outcome: AttemptOutcome): void {
      const arm = armFor(outcome.category, outcome.modelId);
      const r = reward(outcome);
      const watch = options.change_detection ? watches.get(outcome.category) : undefined;
      if (watch && (outcome.modelId === watch.leader || outcome.modelId === watch.runnerUp)) {
        testReversal(watch, arms.get(outcome.category), outcome.modelId, r);
      }
      addEvidence(arm, r, options.discount);
      recordAttempt(arm, outcome.ok, finiteOr(outcome.latencyMs, 0), finiteOr(outcome.costUsd, 0));
    },

    feedback(outcome: FeedbackOutcome): void {
      if (!Number.isFinite(outcome.score)) return;
      const score = clamp01(outcome.score);
      const arm = armFor(outcome.category, outcome.modelId);
      arm.evidenceSuccess += score;
      arm.evidenceFailure += 1 - score;
    },

    snapshot(): unknown {
      return structuredClone(toSnapshot(arms, watches));
    },

    restore(state: unknown): void {
      const restored = fromSnapshot(state);
      if (restored) {
        arms = restored.arms;
        watches = restored.watches;
      }
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
