import type { Ratio } from '../units.ts';

/**
 * Ratio1's deployed reward rules as pure functions (the `ratio1` rule set, PROTOCOL.md §10).
 * Each function says where its rule comes from; none is copied code, each is the rule restated.
 * Availability from heartbeat runs is `availabilityScore` (availability.ts): the same rule.
 */

/** The uint8 ceiling of an availability score (Ratio1's EPOCH_MAX_VALUE / MAX_AVAILABILITY). */
export const MAX_AVAILABILITY = 255;

/**
 * The median of integer scores as Ratio1's oracles take it: numpy's median (the mean of the two
 * middle values for an even count) rounded half to even (Python's `round`). Empty → 0.
 */
export function ratio1Median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  if (s.length % 2 === 1) return s[mid]!;
  const twice = s[mid - 1]! + s[mid]!;
  // twice / 2 is x or x.5; x.5 rounds to the even neighbour.
  const floor = Math.floor(twice / 2);
  if (twice % 2 === 0) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export interface MedianAgreementParameters {
  /** One value per participating oracle: what it measured for this node (0 when it saw none). */
  values: readonly number[];
  /** How far an oracle's own value may lie from the median and still count as agreeing. */
  marginScore: number;
}

export interface MedianAgreement {
  /** The median every participant computes from the exchanged tables. */
  value: number;
  /** Participants whose own value lies within the margin of the median. */
  withinMargin: number;
  /** More than half of the participants lie within the margin. */
  agreed: boolean;
}

/**
 * Ratio1's oracle sync for one node: every participant computes the same median of all
 * participants' local values; an oracle whose own value lies more than the margin away from it
 * is out of margin; the median is agreed when more than half of the participants hold it.
 * onesim reads "holds it" as "within the margin of it" (see PROTOCOL.md §10).
 */
export function medianAgreement(p: MedianAgreementParameters): MedianAgreement {
  const value = ratio1Median(p.values);
  let withinMargin = 0;
  for (const v of p.values) if (Math.abs(v - value) <= p.marginScore) withinMargin += 1;
  return { value, withinMargin, agreed: withinMargin * 2 > p.values.length };
}

export interface LicenceReleaseParameters {
  maxReleasePerDayMicroUsdc: bigint;
  /** The agreed availability score of the day, 0..255. */
  score: number;
  /** What this licence has mined so far. */
  minedMicroUsdc: bigint;
  /** The most a licence mines over its life. */
  capMicroUsdc: bigint;
}

/**
 * A licence's release for one day (Ratio1's NDContract.calculateLicenseRewards):
 * floor(maxReleasePerDay · score / 255), never past the lifetime mining cap.
 */
export function licenceRelease(p: LicenceReleaseParameters): bigint {
  if (!Number.isInteger(p.score) || p.score < 0 || p.score > MAX_AVAILABILITY)
    throw new Error(`assertion: availability score ${p.score} is not a uint8`);
  const left = p.capMicroUsdc > p.minedMicroUsdc ? p.capMicroUsdc - p.minedMicroUsdc : 0n;
  const due = (p.maxReleasePerDayMicroUsdc * BigInt(p.score)) / BigInt(MAX_AVAILABILITY);
  return due < left ? due : left;
}

export interface EscrowAllocationParameters {
  /** The price of one node for one epoch. */
  pricePerEpochMicroUsdc: bigint;
  /** How many nodes the oracles agreed were active. */
  activeNodes: number;
  burnShare: Ratio;
  /** What the escrow holds; a short escrow pays every node the same smaller price. */
  escrowMicroUsdc: bigint;
}

export interface EscrowAllocation {
  /** What each active node receives, after the burn. */
  perNodeMicroUsdc: bigint;
  /** What is burned for each node: floor(price · burn share). */
  burnPerNodeMicroUsdc: bigint;
  /** Leaves the escrow: nodes × (paid + burned). */
  totalMicroUsdc: bigint;
}

/**
 * Ratio1's Proof-of-AI escrow for one epoch (CspEscrow.allocateRewardsToNodes): each node the
 * oracles agreed was active gets the price per epoch less the burn, floor(price · 15 / 100),
 * which is burned. Ratio1 pre-funds the escrow; onesim's escrow fills from settled receipts, so
 * when it holds less than nodes × price, each node's price is floor(escrow / nodes) ([ours]).
 */
export function escrowAllocation(p: EscrowAllocationParameters): EscrowAllocation {
  if (p.activeNodes <= 0)
    return { perNodeMicroUsdc: 0n, burnPerNodeMicroUsdc: 0n, totalMicroUsdc: 0n };
  const n = BigInt(p.activeNodes);
  const affordable = p.escrowMicroUsdc / n;
  const price = p.pricePerEpochMicroUsdc < affordable ? p.pricePerEpochMicroUsdc : affordable;
  const burn = (price * p.burnShare.num) / p.burnShare.den;
  return { perNodeMicroUsdc: price - burn, burnPerNodeMicroUsdc: burn, totalMicroUsdc: price * n };
}

export interface JobConsensusParameters {
  /** Registered oracles, n. */
  oracles: number;
  /** The proposals submitted so far, in order, each as a comparable key (a hash of a node set). */
  proposals: readonly string[];
  /** Consensus is attempted after floor(n · submit) + 1 submissions (Ratio1: 1/2). */
  submitShare: Ratio;
  /** A proposal is accepted with floor(n · match) + 1 matching ones (Ratio1: 1/3). */
  matchShare: Ratio;
}

export interface JobConsensus {
  attempted: boolean;
  /** The accepted proposal, or null (not attempted, or too few matching). */
  accepted: string | null;
  /** How many proposals match the most common one. */
  matching: number;
}

const thresholdOf = (n: number, r: Ratio): number => Number((BigInt(n) * r.num) / r.den) + 1;

/**
 * Ratio1's job-level consensus (PoAIManager.submitNodeUpdate / _attemptConsensus): with n
 * oracles, consensus is attempted once ⌊n/2⌋ + 1 proposals are in; the most common proposal (the
 * first one in order on a tie) is accepted when ⌊n/3⌋ + 1 proposals match it.
 */
export function jobConsensus(p: JobConsensusParameters): JobConsensus {
  const attempted = p.proposals.length >= thresholdOf(p.oracles, p.submitShare);
  const counts = new Map<string, number>();
  for (const key of p.proposals) counts.set(key, (counts.get(key) ?? 0) + 1);
  let best: string | null = null;
  let matching = 0;
  for (const key of p.proposals) {
    const c = counts.get(key)!;
    if (c > matching) [best, matching] = [key, c];
  }
  const accepted = attempted && matching >= thresholdOf(p.oracles, p.matchShare) ? best : null;
  return { attempted, accepted, matching };
}
