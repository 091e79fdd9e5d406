import { describe, expect, it } from 'vitest';
import { createRng } from './createRng.ts';
import { RngUsageError } from './rngErrors.ts';

const draw = (seed: number | string, name: string, n = 5) => {
  const stream = createRng({ seed }).stream(name);
  return Array.from({ length: n }, () => stream.float());
};

describe('createRng', () => {
  it('pins the derivation: seed 42, stream "demand" (change only deliberately)', () => {
    expect(draw(42, 'demand', 3)).toEqual([
      0.9492773171514273, 0.7045438061468303, 0.5033801286481321,
    ]);
  });

  it('same seed and name give the same values; 42 and "42" are the same seed', () => {
    expect(draw(42, 'holders')).toEqual(draw(42, 'holders'));
    expect(draw('42', 'holders')).toEqual(draw(42, 'holders'));
    expect(draw(43, 'holders')).not.toEqual(draw(42, 'holders'));
  });

  it('different names give different, uncorrelated streams', () => {
    expect(draw(1, 'holders')).not.toEqual(draw(1, 'demand'));
    const a = createRng({ seed: 1 }).stream('a');
    const b = createRng({ seed: 1 }).stream('b');
    let sumA = 0;
    let sumB = 0;
    let sumAB = 0;
    let sumAA = 0;
    let sumBB = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = a.float();
      const y = b.float();
      sumA += x;
      sumB += y;
      sumAB += x * y;
      sumAA += x * x;
      sumBB += y * y;
    }
    const cov = sumAB / n - (sumA / n) * (sumB / n);
    const corr = cov / Math.sqrt((sumAA / n - (sumA / n) ** 2) * (sumBB / n - (sumB / n) ** 2));
    expect(Math.abs(corr)).toBeLessThan(0.015);
  });

  it('adding or using another stream does not change an existing stream', () => {
    const alone = createRng({ seed: 7 }).stream('demand');
    const expected = Array.from({ length: 10 }, () => alone.float());
    const rng = createRng({ seed: 7 });
    const demand = rng.stream('demand');
    const holders = rng.stream('holders');
    const values: number[] = [];
    for (let i = 0; i < 10; i++) {
      holders.float();
      values.push(demand.float());
      rng.stream(`extra-${i}`).float();
    }
    expect(values).toEqual(expected);
  });

  it('returns the same stateful stream for the same name', () => {
    const rng = createRng({ seed: 3 });
    expect(rng.stream('x')).toBe(rng.stream('x'));
  });

  it('rejects bad seeds and empty names', () => {
    expect(() => createRng({ seed: Number.NaN })).toThrow(RngUsageError);
    expect(() => createRng({ seed: 1 }).stream('')).toThrow(/name/);
  });
});
