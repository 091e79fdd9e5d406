import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ceilDiv,
  formatOne,
  formatUnits,
  formatUsdc,
  isqrt,
  minBig,
  mulRatioCeil,
  mulRatioFloor,
  ONE,
  ratio,
  USDC,
} from './units.ts';

// Written for surviving mutants (docs/auditing.md): the arithmetic helpers, against their
// definitions, on random inputs and at the edges.
const seed = Number(process.env.ONESIM_FC_SEED ?? 20261121);
const nat = fc.bigInt(0n, 10n ** 30n);
const pos = fc.bigInt(1n, 10n ** 20n);

describe('ratios and rounding', () => {
  it('mulRatioFloor and mulRatioCeil bracket a · num / den, one apart unless exact', () => {
    fc.assert(
      fc.property(nat, pos, pos, (a, x, y) => {
        const r = ratio(x, y);
        expect(r).toEqual({ num: x, den: y });
        const lo = mulRatioFloor(a, r);
        const hi = mulRatioCeil(a, r);
        expect(lo * y <= a * x && a * x < (lo + 1n) * y).toBe(true);
        expect(hi).toBe((a * x) % y === 0n ? lo : lo + 1n);
        expect(ceilDiv(a, y) * y >= a && (ceilDiv(a, y) - 1n) * y < a).toBe(true);
      }),
      { seed, numRuns: 200 },
    );
    expect([mulRatioFloor(7n, ratio(1n, 2n)), mulRatioCeil(7n, ratio(1n, 2n))]).toEqual([3n, 4n]);
    expect([ceilDiv(0n, 5n), ceilDiv(5n, 5n), ceilDiv(6n, 5n)]).toEqual([0n, 1n, 2n]);
    expect([minBig(2n, 3n), minBig(3n, 2n), minBig(4n, 4n)]).toEqual([2n, 2n, 4n]);
  });

  it('isqrt is the floor of the square root, exactly, beyond float precision', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 10n ** 40n), (n) => {
        const x = isqrt(n);
        expect(x * x <= n && n < (x + 1n) * (x + 1n)).toBe(true);
      }),
      { seed, numRuns: 300 },
    );
    for (const k of [2n, 3n, 10n ** 17n + 3n, 2n ** 53n + 1n, 10n ** 20n - 1n]) {
      expect(isqrt(k * k)).toBe(k);
      expect(isqrt(k * k - 1n)).toBe(k - 1n);
      expect(isqrt(k * k + 2n * k)).toBe(k);
    }
    expect([isqrt(0n), isqrt(1n), isqrt(2n), isqrt(3n), isqrt(4n)]).toEqual([0n, 1n, 1n, 1n, 2n]);
    expect(() => isqrt(-1n)).toThrow(RangeError);
    expect(() => isqrt(-1n)).toThrow('isqrt of a negative number: -1');
  });
});

describe('formatting', () => {
  it('groups thousands, trims trailing zeros, cuts (not rounds) the fraction, keeps the sign', () => {
    expect(formatUnits(1_234_567n, 6)).toBe('1.234567');
    expect(formatUnits(1_234_567_000_000n, 6)).toBe('1,234,567');
    expect(formatUnits(1_234_567_890n, 6)).toBe('1,234.56789');
    expect(formatUnits(1_234_567_890n, 6, 2)).toBe('1,234.56');
    expect(formatUnits(999n, 0)).toBe('999');
    expect(formatUnits(1000n, 0)).toBe('1,000');
    expect(formatUnits(123_456_789n, 0)).toBe('123,456,789');
    expect(formatUnits(-1_500_000n, 6)).toBe('-1.5');
    expect(formatUnits(0n, 6)).toBe('0');
    expect(formatUnits(5n, 3)).toBe('0.005');
    expect(formatUnits(5n, 3, 2)).toBe('0');
    expect(formatUsdc(1_234_567n)).toBe('1.234567 USDC');
    expect(formatUsdc(1_234_567n, 2)).toBe('1.23 USDC');
    expect(formatOne(12_345n * ONE + ONE / 3n)).toBe('12,345.3333 ONE');
    expect(formatOne(ONE / 3n, 2)).toBe('0.33 ONE');
    expect([ONE, USDC]).toEqual([10n ** 18n, 10n ** 6n]);
  });
});
