import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/helpers/seeded-random.js';
import { sampleBeta, sampleGamma, sampleNormal } from './beta-sampler.js';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sq / n - mean * mean };
}

describe('beta sampler', () => {
  it('draws normals with mean 0 and variance 1', () => {
    const r = seededRandom(1);
    const m = moments(() => sampleNormal(r), 40_000);
    expect(m.mean).toBeCloseTo(0, 1);
    expect(m.variance).toBeCloseTo(1, 1);
  });

  it.each([0.3, 1, 2.5, 40])('draws Gamma(%s) with mean = variance = shape', (shape) => {
    const r = seededRandom(2);
    const m = moments(() => sampleGamma(shape, r), 40_000);
    expect(Math.abs(m.mean - shape) / shape).toBeLessThan(0.03);
    expect(Math.abs(m.variance - shape) / shape).toBeLessThan(0.08);
  });

  it.each([
    [2, 5],
    [0.5, 0.5],
    [300, 80],
  ])('draws Beta(%s, %s) with the right mean and variance', (a, b) => {
    const r = seededRandom(3);
    const m = moments(() => sampleBeta(a, b, r), 40_000);
    const mean = a / (a + b);
    const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    expect(m.mean).toBeCloseTo(mean, 2);
    expect(Math.abs(m.variance - variance) / variance).toBeLessThan(0.08);
  });

  it('is a pure function of the random source', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    for (let i = 0; i < 100; i++) expect(sampleBeta(3, 4, a)).toBe(sampleBeta(3, 4, b));
  });

  it('rejects invalid shapes', () => {
    expect(() => sampleGamma(0, seededRandom(1))).toThrow(RangeError);
    expect(() => sampleGamma(Number.NaN, seededRandom(1))).toThrow(RangeError);
  });
});
