import { logGamma } from './logGamma.ts';

// Below this mean the multiplication method is fast enough (expected mean+1 uniforms) and
// exact; above it PTRS keeps the cost constant. Same split as numpy.
const smallMeanMax = 10;

/**
 * Exact Poisson sample from a uniform [0,1) source. Small means: Knuth's product of
 * uniforms. Large means: Hörmann's PTRS transformed rejection (exact, O(1) expected).
 */
export function samplePoisson(uniform: () => number, mean: number): number {
  if (mean === 0) return 0;
  return mean < smallMeanMax ? poissonByMultiplication(uniform, mean) : poissonPtrs(uniform, mean);
}

function poissonByMultiplication(uniform: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  let product = uniform();
  while (product > limit) {
    count++;
    product *= uniform();
  }
  return count;
}

// W. Hörmann, "The transformed rejection method for generating Poisson random variables",
// Insurance: Mathematics and Economics 12 (1993).
function poissonPtrs(uniform: () => number, mean: number): number {
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * Math.sqrt(mean);
  const a = -0.059 + 0.02483 * b;
  const inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = uniform() - 0.5;
    const v = uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log(v) + Math.log(inverseAlpha) - Math.log(a / (us * us) + b);
    if (lhs <= -mean + k * logMean - logGamma(k + 1)) return k;
  }
}
