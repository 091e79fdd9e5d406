import { describe, expect, it } from 'vitest';
import { createRng } from './createRng.ts';
import { RngUsageError } from './rngErrors.ts';
import type { RngStream } from './rngStream.ts';

// Fixed seed: these are exact, repeatable checks, so they cannot flake.
const stream = (name: string): RngStream => createRng({ seed: 'distribution-tests' }).stream(name);

function moments(sample: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const x = sample();
    sum += x;
    sumSquares += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSquares / n - mean * mean };
}

const n = 200_000;

describe('RngStream samplers', () => {
  it('float is in [0, 1) with mean 1/2 and variance 1/12', () => {
    const s = stream('float');
    const m = moments(() => s.float(), n);
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 2);
    for (let i = 0; i < 1000; i++) expect(s.float53()).toBeLessThan(1);
  });

  it('int covers the inclusive range uniformly, also beyond 2^32', () => {
    const s = stream('int');
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[s.int(-2, 3) + 2]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    const big = 2 ** 40;
    const m = moments(() => s.int(0, big), 50_000);
    expect(m.mean / big).toBeCloseTo(0.5, 2);
    expect(() => s.int(3, 2)).toThrow(RngUsageError);
  });

  it('exponential(rate) has mean and sd 1/rate', () => {
    const s = stream('exp');
    const m = moments(() => s.exponential(0.25), n);
    expect(m.mean).toBeCloseTo(4, 1);
    expect(Math.sqrt(m.variance)).toBeCloseTo(4, 1);
    expect(() => s.exponential(0)).toThrow(/rate=0/);
  });

  it.each([0.5, 3, 9.9, 10, 42, 1000, 1e6])(
    'poisson(%d) has mean and variance equal to the mean',
    (mean) => {
      const s = stream(`poisson-${mean}`);
      const m = moments(() => s.poisson(mean), n);
      expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(mean / n));
      expect(m.variance / mean).toBeGreaterThan(0.98);
      expect(m.variance / mean).toBeLessThan(1.02);
    },
  );

  it('poisson returns non-negative integers and the exact P(0) for a small mean', () => {
    const s = stream('poisson-p0');
    let zeros = 0;
    let invalid = 0;
    for (let i = 0; i < n; i++) {
      const k = s.poisson(i % 2 === 0 ? 2 : 300);
      if (!(Number.isInteger(k) && k >= 0)) invalid++;
      if (k === 0) zeros++;
    }
    expect(invalid).toBe(0);
    expect(zeros / (n / 2)).toBeCloseTo(Math.exp(-2), 2);
    expect(s.poisson(0)).toBe(0);
  });

  it('normal has the given mean and sd', () => {
    const s = stream('normal');
    const m = moments(() => s.normal(3, 2), n);
    expect(m.mean).toBeCloseTo(3, 1);
    expect(Math.sqrt(m.variance)).toBeCloseTo(2, 1);
  });

  it('logNormal has mean exp(mu + sigma^2 / 2)', () => {
    const s = stream('lognormal');
    const m = moments(() => s.logNormal(1, 0.5), n);
    expect(m.mean / Math.exp(1 + 0.125)).toBeCloseTo(1, 2);
  });

  it('pareto has minimum xm and mean xm·alpha/(alpha-1)', () => {
    const s = stream('pareto');
    let min = Number.POSITIVE_INFINITY;
    const m = moments(() => {
      const x = s.pareto(2, 3);
      min = Math.min(min, x);
      return x;
    }, n);
    expect(min).toBeGreaterThanOrEqual(2);
    expect(m.mean).toBeCloseTo(3, 1);
  });

  it('choice and weightedChoice follow their probabilities', () => {
    const s = stream('choice');
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 60_000; i++) counts[s.weightedChoice(['a', 'b', 'c'], [1, 2, 0])]!++;
    expect(counts.c).toBe(0);
    expect(counts.b! / 60_000).toBeCloseTo(2 / 3, 2);
    const picks = new Set(Array.from({ length: 100 }, () => s.choice([1, 2, 3])));
    expect([...picks].sort()).toEqual([1, 2, 3]);
    expect(() => s.choice([])).toThrow(RngUsageError);
    expect(() => s.weightedChoice(['a'], [0])).toThrow(/weights sum/);
  });

  it('shuffle returns a permutation and every position is reachable', () => {
    const s = stream('shuffle');
    const firsts = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const shuffled = s.shuffle([0, 1, 2, 3, 4]);
      expect([...shuffled].sort()).toEqual([0, 1, 2, 3, 4]);
      firsts.add(shuffled[0]!);
    }
    expect(firsts.size).toBe(5);
  });
});
