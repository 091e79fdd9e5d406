import { describe, expect, it } from 'vitest';
import { auditableShare } from './deterrence.ts';
import { measureSealedDeterrence } from './sealedDeterrence.ts';

const base = {
  seeds: [1, 2, 3, 4, 5],
  days: 4,
  fakeShare: 1,
  savingUsdcPerFakedJob: 0.02,
  colludingOracles: 0,
  oracles: 5,
  committee: 3,
  quorum: 2,
  holders: 300,
};
const sealed = (policy: 'opt-in' | 'unaudited' | 'tee', share: number) => ({
  share,
  policy,
  auditOptInShare: 0.5,
  teeFailureRate: 0.1,
});

describe('deterrence with sealed jobs', () => {
  it('a, the share of sampled faked jobs an oracle can check, per policy', () => {
    expect(auditableShare(undefined)).toBe(1);
    expect(auditableShare(sealed('unaudited', 0.25))).toBeCloseTo(0.75, 12);
    expect(auditableShare(sealed('opt-in', 0.5))).toBeCloseTo(0.75, 12);
    expect(auditableShare(sealed('tee', 0.5))).toBeCloseTo(0.95, 12);
    expect(auditableShare(sealed('unaudited', 1))).toBe(0);
  });

  it('half the jobs sealed and unaudited: the simulated boundary moves out to about C / ((1 − r) · ½ · (R + S))', {
    timeout: 240_000,
  }, async () => {
    const [row] = await measureSealedDeterrence(
      { ...base, rates: [0.006, 0.0125, 0.02, 0.025, 0.035] },
      { shares: [0.5], policies: ['unaudited'], auditOptInShare: 0.5, teeFailureRate: 0.1 },
    );
    const r = row!.result;
    console.log(
      `sealed 0.5 unaudited: measured ${r.measuredBoundary}, formula ${r.analyticBoundary}`,
    );
    expect(r.auditableShare).toBe(0.5);
    expect(r.measuredBoundary).not.toBeNull();
    // About double the unsealed boundary (0.010 in deterrence.test.ts at this scale).
    expect(r.measuredBoundary!).toBeGreaterThan(0.016);
    expect(r.relativeDifference!).toBeLessThan(0.15);
  });

  it('every job sealed and unaudited: no sampling rate deters, and the formula says so too', {
    timeout: 120_000,
  }, async () => {
    const [row] = await measureSealedDeterrence(
      { ...base, seeds: [1], days: 2, rates: [0.02, 0.2] },
      { shares: [1], policies: ['unaudited'], auditOptInShare: 0, teeFailureRate: 0 },
    );
    expect(row!.result.points.every((pt) => pt.detections === 0)).toBe(true);
    expect(row!.result.measuredBoundary).toBeNull();
    expect(row!.result.analyticBoundary).toBe(Number.POSITIVE_INFINITY);
    expect(row!.agrees).toBe(true);
  });
});
