import type { SealedAuditPolicy } from '../../protocol/params.ts';
import { runSimulation } from '../run/runSimulation.ts';
import { parseScenario, type Scenario } from '../scenario/scenarioSchema.ts';

/**
 * The Proof-of-Sampling condition (PROTOCOL.md §8): faking a job saves C; with sampling rate p
 * and a share r of committees unable to confirm (colluders), a detection costs the cheater
 * R + S (withheld earnings + slash). Cheating stops paying when p > C / ((1 − r)(R + S)).
 * This measures the boundary in the simulator and computes the formula beside it.
 */
export interface DeterrenceParameters {
  rates: number[];
  seeds: number[];
  days: number;
  savingUsdcPerFakedJob: number;
  colludingOracles: number;
  oracles: number;
  committee: number;
  quorum: number;
  holders: number;
  /** Share of its jobs the lazy worker fakes; keep detections rare per settlement so R + S stays put. */
  fakeShare: number;
  /** Sealed jobs and the audit policy for them (absent: none sealed, today's network). */
  sealed?: SealedDeterrence;
}

/**
 * s: the share of jobs sealed; under 'opt-in' a share o of those is re-encrypted to the committee;
 * under 'tee' an attestation of a wrong result passes with probability f.
 */
export interface SealedDeterrence {
  share: number;
  policy: SealedAuditPolicy;
  auditOptInShare: number;
  teeFailureRate: number;
}

/**
 * a: the chance that a faked job can be caught once sampled, for a cheater that fakes sealed and
 * unsealed jobs alike. Unsealed jobs (1 − s) are re-executed; a sealed one is re-executed only if
 * its requester opted in (o), checked by attestation under 'tee' unless it fails (f), never under
 * 'unaudited':  opt-in a = 1 − s(1 − o);  unaudited a = 1 − s;  tee a = 1 − s·f.
 * The boundary becomes p* = C / ((1 − r) · a · (R + S)): infinite (no rate deters) when a = 0.
 */
/**
 * a for a cheater that fakes only where audits are weakest (sealedJobs.lazyTargetSealed): sealed
 * jobs no oracle can read (a = 0: no sampling rate deters) or, under 'tee', sealed jobs (a = 1 − f).
 */
export function targetedAuditableShare(policy: SealedAuditPolicy, teeFailureRate: number): number {
  return policy === 'tee' ? 1 - teeFailureRate : 0;
}

export function auditableShare(s: SealedDeterrence | undefined): number {
  if (s === undefined) return 1;
  if (s.policy === 'unaudited') return 1 - s.share;
  if (s.policy === 'tee') return 1 - s.share * s.teeFailureRate;
  return 1 - s.share * (1 - s.auditOptInShare);
}

export interface DeterrencePoint {
  p: number;
  fakedJobs: number;
  detections: number;
  penaltyUsdc: number;
  profitUsdcPerFakedJob: number;
}

export interface DeterrenceResult {
  points: DeterrencePoint[];
  /**
   * Where the simulated expected profit per faked job turns negative: C / k̂, k̂ the measured loss
   * per faked job per unit of p over the two rates bracketing the zero crossing; null if profit
   * never turns negative on the grid.
   */
  measuredBoundary: number | null;
  /** C / ((1 − r) · a · (R + S)) with R + S the measured mean penalty per detection (a = 1 unsealed). */
  analyticBoundary: number;
  /** a (auditableShare): the chance a sampled faked job can be checked at all. */
  auditableShare: number;
  penaltyUsdcPerDetection: number;
  /** r: the chance a committee holds fewer than `quorum` honest oracles (hypergeometric). */
  colludingShare: number;
  relativeDifference: number | null;
  /** The zero crossing of profit per faked job between the two bracketing rates (noisier). */
  crossing: number | null;
}

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** P(a committee of k drawn from n oracles, c colluding, has fewer than q honest members). */
export function colludingShare(n: number, c: number, k: number, q: number): number {
  let honestQuorum = 0;
  for (let h = q; h <= k; h++) honestQuorum += (choose(n - c, h) * choose(c, k - h)) / choose(n, k);
  return 1 - honestQuorum;
}

function scenarioFor(p: DeterrenceParameters, rate: number): Scenario {
  const per = 1_000_000;
  return parseScenario({
    name: 'deterrence',
    question: 'Where does cheating stop paying?',
    days: p.days,
    treasuryGenesisUsdc: 100_000,
    params: {
      auditSampleRate: { num: BigInt(Math.round(rate * per)), den: BigInt(per) },
      auditCommitteeSize: p.committee,
      auditQuorum: p.quorum,
      // A constant slash per detection: the bond is topped back up after each, and jail is instant.
      jailMs: 1,
      workerBondMinMicroUsdc: 20_000_000n,
      slashFraction: { num: 1n, den: 10n },
      ...(p.sealed ? { sealedAudit: p.sealed.policy } : {}),
    },
    ...(p.sealed
      ? {
          sealedJobs: {
            share: p.sealed.share,
            auditOptInShare: p.sealed.auditOptInShare,
            teeFailureRate: p.sealed.teeFailureRate,
          },
        }
      : {}),
    models: [{ name: 'chat-s', cuPerRequest: 500, weight: 1 }],
    holders: { count: p.holders, activeShare: 1, jobsPerDayMedian: 20, jobsPerDaySigma: 0.3 },
    sponsors: { count: 0 },
    workers: { count: 6, slots: 4, capacityCuPerSecMedian: 400, capacityCuPerSecSigma: 0 },
    faults: { crashesPerWorkerDay: 0, restartMinutesMean: 30, resultDelayMsMax: 0 },
    oracles: { count: p.oracles, colluding: p.colludingOracles, heartbeats: false },
    adversaries: {
      lazyWorkers: {
        count: 1,
        fakeShare: p.fakeShare,
        savingUsdcPerFakedJob: p.savingUsdcPerFakedJob,
      },
    },
  });
}

export async function measureDeterrence(
  p: DeterrenceParameters,
  onPoint?: (pt: DeterrencePoint) => void,
): Promise<DeterrenceResult> {
  const points: DeterrencePoint[] = [];
  for (const rate of p.rates) {
    let faked = 0;
    let detections = 0;
    let penaltyMicro = 0n;
    for (const seed of p.seeds) {
      const record = await runSimulation({
        scenario: scenarioFor(p, rate),
        seed,
        days: p.days,
        commit: 'deterrence',
      });
      const lazy = record.workers.find((w) => w.lazy)!;
      faked += lazy.fakedJobs;
      detections += lazy.detections;
      penaltyMicro += lazy.penaltyMicroUsdc;
    }
    const penaltyUsdc = Number(penaltyMicro) / 1e6;
    const pt = {
      p: rate,
      fakedJobs: faked,
      detections,
      penaltyUsdc,
      profitUsdcPerFakedJob: faked === 0 ? 0 : p.savingUsdcPerFakedJob - penaltyUsdc / faked,
    };
    points.push(pt);
    onPoint?.(pt);
  }
  // The boundary is where profit per faked job turns negative (between two grid rates). R + S
  // is what a detection actually cost the cheater at those two rates: withheld earnings shrink
  // as detections get frequent, so a far-off rate would misstate it.
  const crossing = zeroCrossing(points);
  const i = crossing === null ? -1 : points.findIndex((pt) => pt.p >= crossing);
  const near = i <= 0 ? points : points.slice(i - 1, i + 1);
  const nearDetections = near.reduce((a, pt) => a + pt.detections, 0);
  const penaltyUsdcPerDetection =
    nearDetections === 0 ? 0 : near.reduce((a, pt) => a + pt.penaltyUsdc, 0) / nearDetections;
  const r = colludingShare(p.oracles, p.colludingOracles, p.committee, p.quorum);
  const a = auditableShare(p.sealed);
  const analyticBoundary = p.savingUsdcPerFakedJob / ((1 - r) * a * penaltyUsdcPerDetection);
  // Pooled over the two rates, expected profit is C − p · k: a less noisy read of the boundary.
  const exposure = near.reduce((a, pt) => a + pt.p * pt.fakedJobs, 0);
  const k = exposure === 0 ? 0 : near.reduce((a, pt) => a + pt.penaltyUsdc, 0) / exposure;
  const pooledBoundary = k === 0 ? null : p.savingUsdcPerFakedJob / k;
  // The pooled read is the headline: it uses every fake at both rates, not two noisy points.
  const measuredBoundary = crossing === null ? null : pooledBoundary;
  return {
    points,
    measuredBoundary,
    analyticBoundary,
    auditableShare: a,
    penaltyUsdcPerDetection,
    colludingShare: r,
    relativeDifference:
      measuredBoundary === null
        ? null
        : Math.abs(measuredBoundary - analyticBoundary) / analyticBoundary,
    crossing,
  };
}

function zeroCrossing(points: DeterrencePoint[]): number | null {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.profitUsdcPerFakedJob > 0 && b.profitUsdcPerFakedJob <= 0)
      return (
        a.p +
        ((b.p - a.p) * a.profitUsdcPerFakedJob) /
          (a.profitUsdcPerFakedJob - b.profitUsdcPerFakedJob)
      );
  }
  return null;
}
