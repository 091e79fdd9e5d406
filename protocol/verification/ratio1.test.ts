import { describe, expect, it } from 'vitest';
import { availabilityScore } from './availability.ts';
import {
  escrowAllocation,
  jobConsensus,
  licenceRelease,
  medianAgreement,
  ratio1Median,
} from './ratio1.ts';

const r = (num: bigint, den: bigint) => ({ num, den });

describe('availability from heartbeat runs (Ratio1 epochs_manager)', () => {
  const beats = (fromS: number, toS: number, everyS = 10) => {
    const out: number[] = [];
    for (let t = fromS; t <= toS; t += everyS) out.push(t * 1000);
    return out;
  };
  it('a whole day of 10 s heartbeats scores 255; half a day scores round(0.5 · 255) = 128', () => {
    expect(availabilityScore(beats(0, 86_400))).toBe(255);
    expect(availabilityScore(beats(0, 43_200))).toBe(128);
  });
  it('a gap over 15 s or under 5 s ends a run; the gap itself is not counted', () => {
    // Two 6-hour runs with a 1-minute hole: 2 × 21,600 s of 86,400 → round(127.5) = 128.
    const twoRuns = [...beats(0, 21_600), ...beats(21_660, 43_260)];
    expect(availabilityScore(twoRuns)).toBe(Math.round((43_200 / 86_400) * 255));
    // A duplicate 1 s after each beat breaks the run there: only the 9 s to the next beat count.
    const spam = beats(0, 36_000).flatMap((t) => [t, t + 1000]);
    expect(availabilityScore(beats(0, 36_000))).toBe(Math.round((36_000 / 86_400) * 255));
    expect(availabilityScore(spam)).toBe(Math.round(((3_600 * 9) / 86_400) * 255));
  });
  it('is a uint8 for any set of heartbeats', () => {
    for (const n of [0, 1, 2, 100, 9000])
      expect(availabilityScore(beats(0, n * 10))).toSatisfy(
        (v: number) => Number.isInteger(v) && v >= 0 && v <= 255,
      );
  });
});

describe('median with margin (Ratio1 oracle sync)', () => {
  it("takes numpy's median rounded half to even", () => {
    expect(ratio1Median([3, 1, 2])).toBe(2);
    expect(ratio1Median([250, 251])).toBe(250); // 250.5 → 250 (even)
    expect(ratio1Median([251, 252])).toBe(252); // 251.5 → 252 (even)
    expect(ratio1Median([])).toBe(0);
  });
  it('agrees when more than half the participants lie within the margin of the median', () => {
    expect(medianAgreement({ values: [250, 245, 255, 0, 0], marginScore: 10 })).toEqual({
      value: 245,
      withinMargin: 3,
      agreed: true,
    });
    // Two near 250, two near 0: the median (125) is held by nobody within 10.
    expect(medianAgreement({ values: [250, 248, 2, 0], marginScore: 10 }).agreed).toBe(false);
    // Exactly half within the margin is not more than half.
    expect(medianAgreement({ values: [0, 10, 200, 255], marginScore: 95 })).toMatchObject({
      withinMargin: 2,
      agreed: false,
    });
    expect(medianAgreement({ values: [200, 200, 190, 0], marginScore: 5 })).toMatchObject({
      value: 195,
      withinMargin: 3,
      agreed: true,
    });
  });
});

describe('licence release (Ratio1 NDContract)', () => {
  const maxReleasePerDayMicroUsdc = 1_458_508n;
  it('pays floor(maxReleasePerDay · score / 255) a day', () => {
    const cap = 10n ** 12n;
    expect(
      licenceRelease({
        maxReleasePerDayMicroUsdc,
        score: 255,
        minedMicroUsdc: 0n,
        capMicroUsdc: cap,
      }),
    ).toBe(maxReleasePerDayMicroUsdc);
    expect(
      licenceRelease({
        maxReleasePerDayMicroUsdc,
        score: 128,
        minedMicroUsdc: 0n,
        capMicroUsdc: cap,
      }),
    ).toBe((maxReleasePerDayMicroUsdc * 128n) / 255n);
    expect(
      licenceRelease({
        maxReleasePerDayMicroUsdc,
        score: 0,
        minedMicroUsdc: 0n,
        capMicroUsdc: cap,
      }),
    ).toBe(0n);
  });
  it('never mines past the lifetime cap', () => {
    const cap = 3n * maxReleasePerDayMicroUsdc + 5n;
    let mined = 0n;
    const days: bigint[] = [];
    for (let d = 0; d < 5; d++) {
      const x = licenceRelease({
        maxReleasePerDayMicroUsdc,
        score: 255,
        minedMicroUsdc: mined,
        capMicroUsdc: cap,
      });
      days.push(x);
      mined += x;
    }
    expect(days).toEqual([
      maxReleasePerDayMicroUsdc,
      maxReleasePerDayMicroUsdc,
      maxReleasePerDayMicroUsdc,
      5n,
      0n,
    ]);
    expect(mined).toBe(cap);
  });
  it('rejects a score that is not a uint8', () => {
    expect(() =>
      licenceRelease({
        maxReleasePerDayMicroUsdc,
        score: 256,
        minedMicroUsdc: 0n,
        capMicroUsdc: 1n,
      }),
    ).toThrow(/uint8/);
  });
});

describe('Proof-of-AI escrow (Ratio1 CspEscrow)', () => {
  const burnShare = r(15n, 100n);
  it('pays each active node the price less 15 %, which is burned', () => {
    const a = escrowAllocation({
      pricePerEpochMicroUsdc: 4_116_666n,
      activeNodes: 3,
      burnShare,
      escrowMicroUsdc: 10n ** 9n,
    });
    expect(a.burnPerNodeMicroUsdc).toBe((4_116_666n * 15n) / 100n);
    expect(a.perNodeMicroUsdc + a.burnPerNodeMicroUsdc).toBe(4_116_666n);
    expect(a.totalMicroUsdc).toBe(3n * 4_116_666n);
  });
  it('a short escrow pays every node the same smaller price and never more than it holds', () => {
    const a = escrowAllocation({
      pricePerEpochMicroUsdc: 1_000n,
      activeNodes: 3,
      burnShare,
      escrowMicroUsdc: 1_001n,
    });
    expect(a.perNodeMicroUsdc + a.burnPerNodeMicroUsdc).toBe(333n);
    expect(a.totalMicroUsdc).toBe(999n);
    expect(
      escrowAllocation({
        pricePerEpochMicroUsdc: 1_000n,
        activeNodes: 0,
        burnShare,
        escrowMicroUsdc: 5n,
      }).totalMicroUsdc,
    ).toBe(0n);
  });
});

describe('job consensus (Ratio1 PoAIManager)', () => {
  const shares = { submitShare: r(1n, 2n), matchShare: r(1n, 3n) };
  it('is attempted at ⌊n/2⌋ + 1 submissions', () => {
    expect(jobConsensus({ oracles: 5, proposals: ['a', 'a'], ...shares }).attempted).toBe(false);
    expect(jobConsensus({ oracles: 5, proposals: ['a', 'a', 'a'], ...shares }).attempted).toBe(
      true,
    );
    expect(jobConsensus({ oracles: 4, proposals: ['a', 'a'], ...shares }).attempted).toBe(false);
    expect(jobConsensus({ oracles: 4, proposals: ['a', 'a', 'b'], ...shares }).attempted).toBe(
      true,
    );
  });
  it('accepts the most common proposal at ⌊n/3⌋ + 1 matching', () => {
    // n = 6: attempt at 4, accept at 3.
    expect(jobConsensus({ oracles: 6, proposals: ['a', 'b', 'a', 'c'], ...shares })).toEqual({
      attempted: true,
      accepted: null,
      matching: 2,
    });
    expect(jobConsensus({ oracles: 6, proposals: ['a', 'b', 'a', 'a'], ...shares }).accepted).toBe(
      'a',
    );
    // A tie goes to the proposal that came first.
    expect(jobConsensus({ oracles: 3, proposals: ['a', 'b', 'b', 'a'], ...shares }).accepted).toBe(
      'a',
    );
  });
});
