/**
 * What the bandit knows about one (category, model) arm. Evidence is the discounted sum of
 * rewards (successes) and their complements (failures), without the prior; lifetime counters
 * feed the stats. Plain data, so a snapshot is a JSON copy.
 */
export interface ArmState {
  evidenceSuccess: number;
  evidenceFailure: number;
  pulls: number;
  successes: number;
  failures: number;
  latencySumMs: number;
  costSumUsd: number;
}

export type Prior = readonly [number, number];

export function newArm(): ArmState {
  return {
    evidenceSuccess: 0,
    evidenceFailure: 0,
    pulls: 0,
    successes: 0,
    failures: 0,
    latencySumMs: 0,
    costSumUsd: 0,
  };
}

export function effectivePulls(arm: ArmState): number {
  return arm.evidenceSuccess + arm.evidenceFailure;
}

export function posteriorMean(arm: ArmState, prior: Prior): number {
  const alpha = prior[0] + arm.evidenceSuccess;
  return alpha / (alpha + prior[1] + arm.evidenceFailure);
}

/** Adds one reward in [0, 1] after fading the existing evidence by `discount`. */
export function addEvidence(arm: ArmState, reward: number, discount: number): void {
  arm.evidenceSuccess = arm.evidenceSuccess * discount + reward;
  arm.evidenceFailure = arm.evidenceFailure * discount + (1 - reward);
}

export function recordAttempt(arm: ArmState, ok: boolean, latencyMs: number, costUsd: number): void {
  arm.pulls += 1;
  if (ok) arm.successes += 1;
  else arm.failures += 1;
  arm.latencySumMs += latencyMs;
  arm.costSumUsd += costUsd;
}

/** Keeps at most `maxPulls` effective observations, preserving the mean. */
export function shrinkEvidence(arm: ArmState, maxPulls: number): void {
  const n = effectivePulls(arm);
  if (n > maxPulls) {
    const k = n > 0 ? maxPulls / n : 0;
    arm.evidenceSuccess *= k;
    arm.evidenceFailure *= k;
  }
}

const FIELDS = [
  'evidenceSuccess',
  'evidenceFailure',
  'pulls',
  'successes',
  'failures',
  'latencySumMs',
  'costSumUsd',
] as const satisfies readonly (keyof ArmState)[];

/**
 * An ArmState from untrusted input, or null when a field is negative, not finite or not a number.
 * A missing field counts as 0, and unknown fields (e.g. the CUSUM statistics of older snapshots)
 * are ignored, so snapshots of other versions of the arm still restore.
 */
export function parseArm(value: unknown): ArmState | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const arm = newArm();
  for (const field of FIELDS) {
    const v = record[field];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return null;
    arm[field] = v;
  }
  return arm;
}
