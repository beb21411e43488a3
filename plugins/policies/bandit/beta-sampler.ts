/**
 * Beta sampling from an injected uniform source only (no Math.random), so a seeded source
 * gives reproducible decisions. No state is cached between calls (e.g. the spare Box–Muller
 * normal), so a restored policy continues exactly like the original one.
 */
export type Uniform = () => number;

/** Uniform in (0, 1): never exactly 0, which would break log(). */
function openUniform(random: Uniform): number {
  let u = random();
  while (u <= 0) u = random();
  return u;
}

/** Standard normal by Box–Muller (one of the pair is used). */
export function sampleNormal(random: Uniform): number {
  const u = openUniform(random);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 is boosted by U^(1/shape). */
export function sampleGamma(shape: number, random: Uniform): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be a positive finite number, got ${shape}`);
  if (shape < 1) return sampleGamma(shape + 1, random) * openUniform(random) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = openUniform(random);
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(alpha, beta) as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). */
export function sampleBeta(alpha: number, beta: number, random: Uniform): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  const sum = x + y;
  // Both can underflow to 0 for tiny shapes; fall back to the mean.
  return sum > 0 ? x / sum : alpha / (alpha + beta);
}
