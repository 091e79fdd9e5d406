import { describe, expect, it } from 'vitest';
import { allotmentCu, nominalCredits, treasuryBound } from './allotment.ts';
import { ONE, USDC } from './units.ts';

const T = 1_000n * ONE;
const A = 5_000n;
const linear = { kind: 'linear' } as const;

describe('nominal credits', () => {
  it('linear: A · stake / T above the threshold, nothing below', () => {
    const n = nominalCredits({
      schedule: linear,
      stakeOneWei: 2_500n * ONE,
      thresholdOneWei: T,
      creditsPerThresholdCu: A,
    });
    expect(allotmentCu(n, { num: 1n, den: 1n })).toBe(12_500n);
    const below = nominalCredits({
      schedule: linear,
      stakeOneWei: 999n * ONE,
      thresholdOneWei: T,
      creditsPerThresholdCu: A,
    });
    expect(allotmentCu(below, { num: 1n, den: 1n })).toBe(0n);
  });

  it('linear rounds down: 1,000.5 ONE gives floor(5,002.5) = 5,002 CU', () => {
    const n = nominalCredits({
      schedule: linear,
      stakeOneWei: 1_000n * ONE + ONE / 2n,
      thresholdOneWei: T,
      creditsPerThresholdCu: A,
    });
    expect(allotmentCu(n, { num: 1n, den: 1n })).toBe(5_002n);
  });

  it('sqrt: A · sqrt(stake / T); 4,000 ONE gives 10,000 CU, and a split into two 2,000 gives more', () => {
    const sqrt = { kind: 'sqrt' } as const;
    const one = (s: bigint) =>
      allotmentCu(
        nominalCredits({
          schedule: sqrt,
          stakeOneWei: s * ONE,
          thresholdOneWei: T,
          creditsPerThresholdCu: A,
        }),
        { num: 1n, den: 1n },
      );
    expect(one(4_000n)).toBe(10_000n);
    expect(one(2_000n)).toBe(7_071n); // 5000 · √2 = 7071.07
    expect(2n * one(2_000n)).toBeGreaterThan(one(4_000n));
  });

  it('tiers: the highest tier reached', () => {
    const tiers = {
      kind: 'tiers',
      tiers: [
        { minStakeOneWei: T, creditsCu: 3_000n },
        { minStakeOneWei: 10n * T, creditsCu: 20_000n },
      ],
    } as const;
    const c = (s: bigint) =>
      allotmentCu(
        nominalCredits({
          schedule: tiers as never,
          stakeOneWei: s,
          thresholdOneWei: T,
          creditsPerThresholdCu: A,
        }),
        { num: 1n, den: 1n },
      );
    expect(c(T - 1n)).toBe(0n);
    expect(c(5n * T)).toBe(3_000n);
    expect(c(10n * T)).toBe(20_000n);
  });
});

describe('treasury bound σ_d', () => {
  it('σ = 1 when the budget covers nominal credits: B = min(B_max, 900 USDC / 90) = 10 USDC', () => {
    const b = treasuryBound({
      treasuryMicroUsdc: 900n * USDC,
      budgetMaxMicroUsdc: 20_000n * USDC,
      runwayDays: 90,
      priceMicroUsdcPerCu: 2n,
      nominalNumTotal: A * 2_500n * ONE,
      den: T,
    });
    expect(b.budgetMicroUsdc).toBe(10n * USDC);
    expect(b.sigma).toEqual({ num: 1n, den: 1n });
  });

  it('B_max caps the budget', () => {
    const b = treasuryBound({
      treasuryMicroUsdc: 10_000_000n * USDC,
      budgetMaxMicroUsdc: 20_000n * USDC,
      runwayDays: 90,
      priceMicroUsdcPerCu: 2n,
      nominalNumTotal: 0n,
      den: T,
    });
    expect(b.budgetMicroUsdc).toBe(20_000n * USDC);
  });

  it('σ = B / cost when credits would cost more: 9 USDC / 90 = 0.1 USDC for 100,000 CU at 2 µ → σ = 1/2', () => {
    // 100,000 CU nominal = 20,000 ONE staked at A = 5,000 per 1,000 ONE.
    const b = treasuryBound({
      treasuryMicroUsdc: 9n * USDC,
      budgetMaxMicroUsdc: 20_000n * USDC,
      runwayDays: 90,
      priceMicroUsdcPerCu: 2n,
      nominalNumTotal: A * 20_000n * ONE,
      den: T,
    });
    expect(b.budgetMicroUsdc).toBe(100_000n);
    expect(Number(b.sigma.num) / Number(b.sigma.den)).toBeCloseTo(0.5, 12);
    const holder = nominalCredits({
      schedule: linear,
      stakeOneWei: 20_000n * ONE,
      thresholdOneWei: T,
      creditsPerThresholdCu: A,
    });
    expect(allotmentCu(holder, b.sigma)).toBe(50_000n);
  });

  it('floor(treasury / runwayDays) rounds down', () => {
    const b = treasuryBound({
      treasuryMicroUsdc: 179n,
      budgetMaxMicroUsdc: 20_000n * USDC,
      runwayDays: 90,
      priceMicroUsdcPerCu: 2n,
      nominalNumTotal: 0n,
      den: 1n,
    });
    expect(b.budgetMicroUsdc).toBe(1n);
  });
});
