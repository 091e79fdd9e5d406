import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/createRng.ts';
import { cellIntervals, cellRisk, quantileInterval } from './riskFigures.ts';

describe('quantileInterval: order-statistic confidence intervals', () => {
  it('for 100 values and p5 takes x(1)..x(11), covering with P(1 ≤ B ≤ 10) for B ~ Binomial(100, 0.05)', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    const r = quantileInterval(v, 0.05);
    expect(r.value).toBe(5);
    expect([r.lo, r.hi]).toEqual([1, 11]);
    // P(B ≤ 10) = 0.988528 and P(B = 0) = 0.95^100 = 0.005921 (binomial tables)
    expect(r.confidence).toBeCloseTo(0.988528 - 0.005921, 4);
    const u = quantileInterval(v, 0.95);
    expect([u.lo, u.hi]).toEqual([90, 100]);
    expect(u.confidence).toBeCloseTo(r.confidence, 9);
  });

  it('covers the true p5 and p95 of a known distribution in about the stated share of trials', () => {
    const rng = createRng({ seed: 'quantile-coverage' }).stream('values');
    let hit5 = 0;
    let hit95 = 0;
    const trials = 1_500;
    for (let t = 0; t < trials; t++) {
      const v = Array.from({ length: 100 }, () => rng.float()); // Uniform(0, 1): p-quantile = p
      const a = quantileInterval(v, 0.05);
      const b = quantileInterval(v, 0.95);
      if (a.lo <= 0.05 && 0.05 <= a.hi) hit5++;
      if (b.lo <= 0.95 && 0.95 <= b.hi) hit95++;
    }
    // the intervals promise ≥ 95 % (98.3 % exactly for n = 100)
    expect(hit5 / trials).toBeGreaterThan(0.96);
    expect(hit95 / trials).toBeGreaterThan(0.96);
    expect(hit5 / trials).toBeLessThan(0.996);
  });

  it('says how little it can promise with few seeds, and gives the same numbers in any order', () => {
    const r = quantileInterval([3, 1, 2], 0.05);
    expect([r.lo, r.hi]).toEqual([1, 2]);
    expect(r.confidence).toBeLessThan(0.95);
    expect(r.confidence).toBeCloseTo(3 * 0.05 * 0.95 ** 2, 6); // P(B = 1), B ~ Binomial(3, 0.05)
    const v = Array.from({ length: 37 }, (_, i) => (i * 7919) % 101);
    expect(quantileInterval([...v].reverse(), 0.95)).toEqual(quantileInterval(v, 0.95));
    expect(quantileInterval([], 0.5).runs).toBe(0);
    expect(() => quantileInterval([1], 1)).toThrow(RangeError);
  });
});

describe('cellRisk: Gauntlet-style figures per cell', () => {
  it('takes the bad tail of each figure: low runway and worker cover, high drawdown and misses', () => {
    const runs = 40;
    const values: Record<string, number[]> = {
      treasuryRunwayDays: Array.from({ length: runs }, (_, i) => 100 + i * 10),
      treasuryDrawdownShare: Array.from({ length: runs }, (_, i) => i / 100),
      honestWorkerIncomeOverCostP50: Array.from({ length: runs }, (_, i) => 0.5 + i / 40),
      includedMissedShare: Array.from({ length: runs }, (_, i) => i / 400),
    };
    const r = cellRisk((m) => values[m]);
    expect(r.treasuryRunwayDaysP5!.value).toBe(110); // 2nd smallest of 40 (nearest rank)
    expect(r.treasuryDrawdownShareP95!.value).toBe(0.37);
    expect(r.medianWorkerIncomeOverCostP5!.value).toBe(0.525);
    expect(r.includedMissedShareP95!.value).toBe(0.0925);
    expect(cellRisk(() => undefined)).toEqual({});
    const iv = cellIntervals([['x', values.treasuryRunwayDays!]]);
    expect(iv.x!.p5.value).toBe(110);
    expect(iv.x!.p95.value).toBe(470);
  });
});
