/**
 * Two-sided CUSUM on an arm's rewards. The reference is the arm's current posterior mean p0;
 * each reward adds its log-likelihood ratio of p0 ± delta against p0, clipped at 0. A
 * statistic above the threshold means the arm has most likely shifted by about delta or more.
 */
import type { ArmState } from './arm.js';

export interface ChangeTest {
  readonly delta: number;
  readonly threshold: number;
  readonly minPulls: number;
}

const EPS = 1e-3;

function llr(reward: number, p0: number, p1: number): number {
  return reward * Math.log(p1 / p0) + (1 - reward) * Math.log((1 - p1) / (1 - p0));
}

/** Updates the arm's CUSUM statistics with one reward (before it is added); true when a change is detected. */
export function cusumStep(arm: ArmState, reward: number, p0Raw: number, pulls: number, test: ChangeTest): boolean {
  if (pulls < test.minPulls) return false;
  const p0 = Math.min(1 - EPS, Math.max(EPS, p0Raw));
  const down = Math.max(EPS, p0 - test.delta);
  const up = Math.min(1 - EPS, p0 + test.delta);
  arm.cusumDown = down < p0 ? Math.max(0, arm.cusumDown + llr(reward, p0, down)) : 0;
  arm.cusumUp = up > p0 ? Math.max(0, arm.cusumUp + llr(reward, p0, up)) : 0;
  return arm.cusumDown > test.threshold || arm.cusumUp > test.threshold;
}
