import seedrandom from 'seedrandom';
import { RngUsageError } from './rngErrors.ts';
import { samplePoisson } from './samplePoisson.ts';

/**
 * One independent, seeded random stream. Alea was measured fastest-or-equal among the
 * seedrandom algorithms on Node 20 (≈184M draws/s vs xor4096 ≈160M, arc4 ≈37M) and
 * gives 32-bit-resolution floats; `float53` is there when full resolution matters.
 * Samplers take positional numbers (not parameter objects) because they sit on hot paths.
 */
export class RngStream {
  readonly name: string;
  /** The raw generator, uniform in [0, 1); hot loops may call it directly. */
  readonly next: () => number;
  private readonly prng: seedrandom.PRNG;
  private normalSpare = 0;
  private hasNormalSpare = false;

  constructor(parameters: { name: string; streamSeed: string }) {
    this.name = parameters.name;
    this.prng = seedrandom.alea(parameters.streamSeed);
    this.next = this.prng;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.prng();
  }

  /** Uniform float in [0, 1) with 53 bits of resolution (two draws). */
  float53(): number {
    return this.prng.double();
  }

  /** Uniform integer in [minInclusive, maxInclusive]; both safe integers. */
  int(minInclusive: number, maxInclusive: number): number {
    if (!Number.isSafeInteger(minInclusive) || !Number.isSafeInteger(maxInclusive)) {
      throw new RngUsageError({
        field: 'int range',
        value: `${minInclusive}..${maxInclusive}`,
        reason: 'must be safe integers',
      });
    }
    const span = maxInclusive - minInclusive + 1;
    if (!(span >= 1)) {
      throw new RngUsageError({
        field: 'int range',
        value: `${minInclusive}..${maxInclusive}`,
        reason: 'is empty',
      });
    }
    // Beyond 2^32 outcomes a 32-bit float would leave gaps; use 53 bits there.
    const u = span <= 0x100000000 ? this.prng() : this.prng.double();
    return minInclusive + Math.floor(u * span);
  }

  /** true with probability p. */
  bernoulli(p: number): boolean {
    requireRange('p', p, 0, 1);
    return this.prng() < p;
  }

  /** Exponential with the given rate (mean 1/rate, in the rate's time unit). */
  exponential(rate: number): number {
    requirePositive('rate', rate);
    // 1 - u lies in (0, 1], so the log is finite.
    return -Math.log(1 - this.prng()) / rate;
  }

  /** Poisson count with the given mean (exact for every mean). */
  poisson(mean: number): number {
    if (!(mean >= 0 && mean < Number.POSITIVE_INFINITY)) {
      throw new RngUsageError({ field: 'mean', value: mean, reason: 'must be finite and >= 0' });
    }
    return samplePoisson(this.prng, mean);
  }

  /** Normal(mean, sd) by the Marsaglia polar method; the second variate is kept for the next call. */
  normal(mean = 0, sd = 1): number {
    if (!(sd >= 0)) throw new RngUsageError({ field: 'sd', value: sd, reason: 'must be >= 0' });
    if (this.hasNormalSpare) {
      this.hasNormalSpare = false;
      return mean + sd * this.normalSpare;
    }
    let x: number;
    let y: number;
    let s: number;
    do {
      x = 2 * this.prng() - 1;
      y = 2 * this.prng() - 1;
      s = x * x + y * y;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.normalSpare = y * factor;
    this.hasNormalSpare = true;
    return mean + sd * x * factor;
  }

  /** exp(Normal(mu, sigma)): mu and sigma are of the underlying normal. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Pareto type I: minimum xm > 0, shape alpha > 0 (mean xm·alpha/(alpha-1) for alpha > 1). */
  pareto(xm: number, alpha: number): number {
    requirePositive('xm', xm);
    requirePositive('alpha', alpha);
    return xm * (1 - this.prng()) ** (-1 / alpha);
  }

  /** A uniformly chosen element. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0)
      throw new RngUsageError({ field: 'items', value: '[]', reason: 'is empty' });
    return items[Math.floor(this.prng() * items.length)]!;
  }

  /** An element chosen with probability proportional to its weight (weights >= 0, sum > 0). */
  weightedChoice<T>(items: readonly T[], weights: readonly number[]): T {
    if (items.length === 0 || items.length !== weights.length) {
      throw new RngUsageError({
        field: 'weights.length',
        value: weights.length,
        reason: `must equal items.length=${items.length} > 0`,
      });
    }
    let total = 0;
    for (const weight of weights) {
      if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
        throw new RngUsageError({
          field: 'weight',
          value: weight,
          reason: 'must be finite and >= 0',
        });
      }
      total += weight;
    }
    if (!(total > 0))
      throw new RngUsageError({ field: 'weights sum', value: total, reason: 'must be > 0' });
    let target = this.prng() * total;
    for (let i = 0; i < items.length; i++) {
      target -= weights[i]!;
      if (target < 0) return items[i]!;
    }
    // Rounding can leave target at ~0 after the loop: return the last item with weight.
    for (let i = items.length - 1; ; i--) if (weights[i]! > 0) return items[i]!;
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const swap = items[i]!;
      items[i] = items[j]!;
      items[j] = swap;
    }
    return items;
  }
}

function requirePositive(field: string, value: number): void {
  if (!(value > 0 && value < Number.POSITIVE_INFINITY)) {
    throw new RngUsageError({ field, value, reason: 'must be finite and > 0' });
  }
}

function requireRange(field: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) {
    throw new RngUsageError({ field, value, reason: `must be in [${min}, ${max}]` });
  }
}
