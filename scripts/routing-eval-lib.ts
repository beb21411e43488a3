/** The three bandit scenarios and their targets, shared by `npm run eval:routing` and the vitest check. */
import { bestShare, CHANGE_AT, RECOVERY_LIMIT, recoveryTime, REQUESTS, runSimulation, type RunResult } from './routing-sim.js';

export const TARGETS = {
  stationaryShare: 0.9,
  recoveryWithin: RECOVERY_LIMIT,
  recoverySeedShare: 0.95,
  restartTolerance: 0.05,
} as const;

export interface BanditScenarioResults {
  readonly seeds: number;
  /** Mean share of requests 1501–2000 on the best model (stationary). */
  readonly stationaryShare: number;
  /** Recovery time per seed (null = never). */
  readonly recovery: readonly (number | null)[];
  /** Fraction of seeds recovered within TARGETS.recoveryWithin. */
  readonly recoveredShare: number;
  /** Mean best-model share in the 100 requests before and after the restart. */
  readonly restartBefore: number;
  readonly restartAfter: number;
  /** Seeds whose decisions after the restart are identical to an uninterrupted run. */
  readonly restartIdentical: number;
}

function sameDecisions(a: RunResult, b: RunResult): boolean {
  for (let t = 0; t < REQUESTS; t++) if (a.primary[t] !== b.primary[t]) return false;
  return true;
}

export async function evaluateBandit(seeds: number, options: object = {}): Promise<BanditScenarioResults> {
  let stationary = 0;
  let before = 0;
  let after = 0;
  let identical = 0;
  const recovery: (number | null)[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const plain = await runSimulation('bandit', 'stationary', seed, options);
    stationary += bestShare(plain, REQUESTS * 0.75, REQUESTS);
    recovery.push(recoveryTime(await runSimulation('bandit', 'nonstationary', seed, options)));
    const restarted = await runSimulation('bandit', 'restart', seed, options);
    before += bestShare(restarted, CHANGE_AT - 100, CHANGE_AT);
    after += bestShare(restarted, CHANGE_AT, CHANGE_AT + 100);
    if (sameDecisions(plain, restarted)) identical++;
  }
  const recovered = recovery.filter((r) => r !== null && r <= TARGETS.recoveryWithin).length;
  return {
    seeds,
    stationaryShare: stationary / seeds,
    recovery,
    recoveredShare: recovered / seeds,
    restartBefore: before / seeds,
    restartAfter: after / seeds,
    restartIdentical: identical,
  };
}

export function targetFailures(r: BanditScenarioResults, margin = 0): string[] {
  const failures: string[] = [];
  if (r.stationaryShare < TARGETS.stationaryShare - margin) {
    failures.push(`stationary share ${r.stationaryShare.toFixed(3)} < ${TARGETS.stationaryShare - margin}`);
  }
  if (r.recoveredShare < TARGETS.recoverySeedShare - margin) {
    failures.push(`recovered within ${TARGETS.recoveryWithin} in ${r.recoveredShare.toFixed(2)} of seeds < ${TARGETS.recoverySeedShare - margin}`);
  }
  if (Math.abs(r.restartAfter - r.restartBefore) > TARGETS.restartTolerance + margin) {
    failures.push(`restart share ${r.restartBefore.toFixed(3)} → ${r.restartAfter.toFixed(3)} differs by more than ${TARGETS.restartTolerance + margin}`);
  }
  return failures;
}
