import type { Address } from '../types.ts';
import { medianAgreement } from './ratio1.ts';

/** Ratio1's Proof-of-Availability constants (PROTOCOL.md §8). */
export const HEARTBEAT_MS = 10_000;
export const SEGMENT_GAP_MAX_MS = 15_000;
export const SEGMENT_GAP_MIN_MS = 5_000;
export const DAY_SECONDS = 86_400;

/**
 * One oracle's score for one node over one day, from the heartbeat times it received: the
 * heartbeats split into unbroken segments (a gap > 15 s, or < 5 s, ends a segment); available
 * seconds are the segments' spans; score = round(available / 86,400 · 255), a uint8.
 */
export function availabilityScore(heartbeatsMs: readonly number[]): number {
  if (heartbeatsMs.length < 2) return 0;
  const sorted = [...heartbeatsMs].sort((a, b) => a - b);
  let availableMs = 0;
  let segmentStart = sorted[0]!;
  let last = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) {
    const t = sorted[i]!;
    const gap = t - last;
    if (gap > SEGMENT_GAP_MAX_MS || gap < SEGMENT_GAP_MIN_MS) {
      availableMs += last - segmentStart;
      segmentStart = t;
    }
    last = t;
  }
  availableMs += last - segmentStart;
  return Math.min(255, Math.round(((availableMs / 1000) * 255) / DAY_SECONDS));
}

/** The median of integer scores (lower middle for an even count): the oracle's day value. */
export function medianScore(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1]!;
}

export interface AvailabilityConsensusParameters {
  /** Per oracle, its reported scores for every node it watched (workers and oracles). */
  reports: ReadonlyMap<Address, ReadonlyMap<Address, number>>;
  registeredOracles: readonly Address[];
  /** Oracles that sent heartbeats that day (the "online" oracles). */
  onlineOracles: readonly Address[];
  workers: readonly Address[];
  oracleMinScore: number;
  quorumOfRegistered: { num: bigint; den: bigint };
  quorumOfOnline: { num: bigint; den: bigint };
  /**
   * Ratio1's agreement (§10) instead of ONE's: each worker's score is the participants' median,
   * agreed when more than half lie within this margin of it; one worker without agreement makes
   * the whole day faulty. Absent: ONE's most frequent value held by more than half.
   */
  ratio1MarginScore?: number;
}

export interface AvailabilityConsensus {
  faulty: boolean;
  reason: string | null;
  participants: Address[];
  /** Agreed scores; every worker gets 255 on a faulty day or when no value has a majority. */
  scores: Map<Address, number>;
  unagreed: Address[];
}

/** count / total > num / den, exactly. */
const above = (count: number, total: number, r: { num: bigint; den: bigint }): boolean =>
  BigInt(count) * r.den > r.num * BigInt(total);

/**
 * Agreement for one day. An oracle's own score is the median of what the other oracles report
 * about it; oracles below `oracleMinScore` sit out. With enough participants (> 30 % of the
 * registered and > 40 % of the online oracles), each worker's score is the most frequent value
 * among the participants' reports, if more than half of them hold it. A day without quorum is
 * faulty and everyone gets 255; a worker without a majority value also gets 255.
 */
export function availabilityConsensus(p: AvailabilityConsensusParameters): AvailabilityConsensus {
  const participants = p.registeredOracles.filter((o) => {
    if (!p.reports.has(o)) return false;
    const about = [...p.reports].filter(([other]) => other !== o).map(([, r]) => r.get(o) ?? 0);
    return about.length === 0 || medianScore(about) >= p.oracleMinScore;
  });
  const scores = new Map<Address, number>();
  const quorum =
    above(participants.length, p.registeredOracles.length, p.quorumOfRegistered) &&
    above(participants.length, p.onlineOracles.length, p.quorumOfOnline);
  if (!quorum) {
    for (const w of p.workers) scores.set(w, 255);
    return {
      faulty: true,
      reason: `${participants.length} participating of ${p.registeredOracles.length} registered, ${p.onlineOracles.length} online`,
      participants,
      scores,
      unagreed: [],
    };
  }
  if (p.ratio1MarginScore !== undefined)
    return ratio1Agreement(p, participants, p.ratio1MarginScore);
  const unagreed: Address[] = [];
  for (const w of p.workers) {
    const counts = new Map<number, number>();
    for (const o of participants) {
      const v = p.reports.get(o)!.get(w) ?? 0;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    let best = -1;
    let bestCount = 0;
    for (const [v, c] of counts)
      if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
    if (bestCount * 2 > participants.length) scores.set(w, best);
    else {
      scores.set(w, 255);
      unagreed.push(w);
    }
  }
  return { faulty: false, reason: null, participants, scores, unagreed };
}

/** Ratio1's per-node median with margin; any node without agreement fails the whole day. */
function ratio1Agreement(
  p: AvailabilityConsensusParameters,
  participants: Address[],
  marginScore: number,
): AvailabilityConsensus {
  const scores = new Map<Address, number>();
  const unagreed: Address[] = [];
  for (const w of p.workers) {
    const values = participants.map((o) => p.reports.get(o)!.get(w) ?? 0);
    const a = medianAgreement({ values, marginScore });
    scores.set(w, a.value);
    if (!a.agreed) unagreed.push(w);
  }
  if (unagreed.length === 0) return { faulty: false, reason: null, participants, scores, unagreed };
  for (const w of p.workers) scores.set(w, 255);
  return {
    faulty: true,
    reason: `no agreement on ${unagreed.length} node(s): the day is faulty`,
    participants,
    scores,
    unagreed,
  };
}
