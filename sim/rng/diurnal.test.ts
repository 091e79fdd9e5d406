import { describe, expect, it } from 'vitest';
import { createRng } from './createRng.ts';
import { dayMs, diurnalRate, nextArrivalByThinningMs, nextDiurnalArrivalMs } from './diurnal.ts';

const hourMs = 3_600_000;
const profile = { ratePerMsMean: 1 / 60_000, amplitude: 0.8, peakHour: 18 };

describe('diurnal rate and thinning', () => {
  it('peaks at peakHour, bottoms out 12 h later, averages to the mean', () => {
    const rate = diurnalRate(profile);
    expect(rate(18 * hourMs)).toBeCloseTo(profile.ratePerMsMean * 1.8, 12);
    expect(rate(6 * hourMs + dayMs)).toBeCloseTo(profile.ratePerMsMean * 0.2, 12);
    let sum = 0;
    for (let h = 0; h < 24; h++) sum += rate(h * hourMs);
    expect(sum / 24).toBeCloseTo(profile.ratePerMsMean, 12);
    expect(() => diurnalRate({ ...profile, amplitude: 1.5 })).toThrow(/amplitude=1.5/);
  });

  it('thinning reproduces the expected count per day and the day shape', () => {
    const stream = createRng({ seed: 5 }).stream('demand');
    const days = 20;
    const perHour = new Array(24).fill(0);
    let count = 0;
    let tMs = 0;
    for (;;) {
      tMs = nextDiurnalArrivalMs({ stream, afterMs: tMs, profile });
      if (tMs >= days * dayMs) break;
      count++;
      perHour[Math.floor((tMs % dayMs) / hourMs)]++;
    }
    const expected = days * dayMs * profile.ratePerMsMean; // 28 800
    expect(Math.abs(count - expected)).toBeLessThan(4 * Math.sqrt(expected));
    // Integrated hourly expectation around the peak and the trough.
    const rate = diurnalRate(profile);
    for (const hour of [6, 18]) {
      const expectedHour = days * rate((hour + 0.5) * hourMs) * hourMs;
      expect(Math.abs(perHour[hour] - expectedHour)).toBeLessThan(5 * Math.sqrt(expectedHour));
    }
  });

  it('fails loudly when the bound is below the rate', () => {
    const stream = createRng({ seed: 5 }).stream('x');
    expect(() =>
      nextArrivalByThinningMs({ stream, afterMs: 0, ratePerMs: () => 2, ratePerMsMax: 1 }),
    ).toThrow(/ratePerMsMax=1/);
  });
});
