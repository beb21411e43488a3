/**
 * A reduced run (10 seeds) of the routing evaluation's three bandit scenarios. The full run
 * (`npm run eval:routing`, 50 seeds) checks the exact targets; with 10 seeds the estimates are
 * noisier, so this asserts them with a margin (see MARGIN).
 */
import { describe, expect, it } from 'vitest';
import { evaluateBandit, TARGETS } from '../../../scripts/routing-eval-lib.js';

const SEEDS = 10;
const MARGIN = 0.1;

describe('routing evaluation (reduced)', () => {
  it('meets the bandit targets with default options, within a margin', async () => {
    const r = await evaluateBandit(SEEDS);
    expect(r.stationaryShare).toBeGreaterThanOrEqual(TARGETS.stationaryShare - MARGIN);
    expect(r.recoveredShare).toBeGreaterThanOrEqual(TARGETS.recoverySeedShare - MARGIN);
    expect(Math.abs(r.restartAfter - r.restartBefore)).toBeLessThanOrEqual(TARGETS.restartTolerance + MARGIN);
    // The restored instance makes exactly the decisions an uninterrupted one would.
    expect(r.restartIdentical).toBe(SEEDS);
  }, 20_000);
});
