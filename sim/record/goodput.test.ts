import { describe, expect, it } from 'vitest';
import { runSimulation } from '../run/runSimulation.ts';
import { tinyScenario } from '../run/tinyScenario.ts';
import { runwayDaysCap, treasuryDrawdownShare, treasuryRunwayDays } from './derived.ts';

describe('goodput per lane', () => {
  const run = (slo: { includedMs: number; dedicatedMs: number }) =>
    runSimulation({ scenario: tinyScenario({ slo }), seed: 3, days: 1, commit: 'test' });

  it('counts a job served well only when it completes within its lane SLO; expired and failed jobs are misses', async () => {
    // A tiny job takes 2.5-5 s on a worker: a 1 ms SLO misses every one, an hour misses only
    // the jobs lost to crashes (2 crashes a worker-day) or expired.
    const [tight, loose] = await Promise.all([
      run({ includedMs: 1, dedicatedMs: 1 }),
      run({ includedMs: 3_600_000, dedicatedMs: 3_600_000 }),
    ]);
    expect(tight.finalStateHash).toBe(loose.finalStateHash); // the SLO only measures
    expect(tight.headline.goodputIncluded).toBe(0);
    expect(tight.headline.goodputDedicated).toBe(0);
    const h = loose.headline;
    expect(h.jobsSubmittedIncluded + h.jobsSubmittedDedicated).toBe(h.jobsSubmitted);
    expect(h.jobsExpired + h.jobsFailed).toBeGreaterThan(0);
    const ended = h.jobsCompleted + h.jobsExpired + h.jobsFailed;
    const served =
      h.goodputIncluded * (h.jobsSubmittedIncluded / h.jobsSubmitted) +
      h.goodputDedicated * (h.jobsSubmittedDedicated / h.jobsSubmitted);
    expect(served).toBeLessThan(1);
    expect(served).toBeCloseTo(h.jobsCompleted / ended, 2);
    expect(loose.derived.includedMissedShare).toBeCloseTo(1 - h.goodputIncluded, 6);
    for (const r of loose.metrics) {
      expect(r.goodputIncluded).toBeGreaterThanOrEqual(0);
      expect(r.goodputIncluded).toBeLessThanOrEqual(1);
      expect(r.goodputDedicated).toBeGreaterThanOrEqual(0);
    }
    expect(loose.metrics.some((r) => r.goodputIncluded < 1 || r.goodputDedicated < 1)).toBe(true);
  });
});

describe('treasury risk per run', () => {
  it('runway: the end balance over the average daily outflow, capped at ten years when it does not shrink', () => {
    expect(treasuryRunwayDays(250_000, 249_000, 10)).toBe(2_490);
    expect(treasuryRunwayDays(1_000, 1_500, 10)).toBe(runwayDaysCap);
    expect(treasuryRunwayDays(1_000_000, 999_999, 1)).toBe(runwayDaysCap);
    expect(treasuryRunwayDays(100, -5, 1)).toBe(0);
  });

  it('drawdown: the largest fall from a running peak, as a share of that peak', () => {
    expect(treasuryDrawdownShare(100, [110, 99, 120, 108])).toBeCloseTo(0.1, 9);
    expect(treasuryDrawdownShare(100, [90, 120, 60])).toBeCloseTo(0.5, 9);
    expect(treasuryDrawdownShare(100, [100, 101, 102])).toBe(0);
  });
});
