/**
 * Ranking-reversal test between a category's leader and runner-up (the two best arms by
 * posterior mean). Each reward of either arm adds its log-likelihood ratio of "the two have
 * swapped" (leader at the runner-up's mean, runner-up at the leader's) against "no change",
 * CUSUM-style (clipped at 0). The assumed gap is at least `minGap`, so the test keeps its
 * power while the two estimates drift towards each other after a real swap.
 */
export interface ReversalTest {
  readonly minGap: number;
}

const EPS = 1e-3;

function clampP(p: number): number {
  return p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
}

/** The statistic after one reward in [0, 1] of the leader (isLeader) or the runner-up. */
export function reversalStep(statistic: number, reward: number, isLeader: boolean, leaderMean: number, runnerUpMean: number, test: ReversalTest): number {
  const gap = Math.max(leaderMean - runnerUpMean, test.minGap);
  const p0 = clampP(isLeader ? leaderMean : runnerUpMean);
  const p1 = clampP(isLeader ? leaderMean - gap : runnerUpMean + gap);
  const llr = reward * Math.log(p1 / p0) + (1 - reward) * Math.log((1 - p1) / (1 - p0));
  const next = statistic + llr;
  return next > 0 ? next : 0;
}
