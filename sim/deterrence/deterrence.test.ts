import { describe, expect, it } from 'vitest';
import { colludingShare, measureDeterrence } from './deterrence.ts';

// Four sampling rates bracket both boundaries (about 0.010 and 0.015): measured within 3.5 % of
// the formula, in half the runs of the eight-rate grid (within 4 %), which `npm run test:long`
// (ONESIM_LONG_TESTS=1) runs. The seeds are fixed: the figures do not vary between runs.
const rates =
  process.env.ONESIM_LONG_TESTS === '1'
    ? [0.006, 0.008, 0.01, 0.0125, 0.015, 0.0175, 0.02, 0.025]
    : [0.006, 0.0125, 0.02, 0.025];
const base = {
  rates,
  seeds: [1, 2, 3, 4, 5],
  days: 4,
  fakeShare: 1,
  savingUsdcPerFakedJob: 0.02,
  oracles: 5,
  committee: 3,
  quorum: 2,
  holders: 300,
};

describe('Proof-of-Sampling deterrence', () => {
  it('the committee miss rate r is hypergeometric: 2 colluders of 5, committees of 3, quorum 2 → r = 0.3', () => {
    expect(colludingShare(5, 0, 3, 2)).toBe(0);
    expect(colludingShare(5, 2, 3, 2)).toBeCloseTo(0.3, 12);
    expect(colludingShare(5, 5, 3, 2)).toBeCloseTo(1, 12);
  });

  it('the simulated boundary where cheating stops paying agrees with C / ((1 − r)(R + S)) within 10 %', {
    timeout: 240_000,
  }, async () => {
    for (const colludingOracles of [0, 2]) {
      const r = await measureDeterrence({ ...base, colludingOracles });
      expect(r.measuredBoundary, `colluders ${colludingOracles}`).not.toBeNull();
      console.log(
        `deterrence, colluders ${colludingOracles}: measured ${r.measuredBoundary}, formula ${r.analyticBoundary}`,
      );
      expect(
        r.relativeDifference!,
        `colluders ${colludingOracles}: measured ${r.measuredBoundary}, formula ${r.analyticBoundary}`,
      ).toBeLessThan(0.1);
      // Profit per faked job falls as the sampling rate rises, and turns negative inside the grid.
      const profits = r.points.map((pt) => pt.profitUsdcPerFakedJob);
      expect(profits[0]!).toBeGreaterThan(profits.at(-1)!);
      expect(profits.at(-1)!).toBeLessThan(0);
    }
  });
});
