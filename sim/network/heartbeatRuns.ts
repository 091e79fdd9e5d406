import { DAY_SECONDS, HEARTBEAT_MS } from '../../protocol/verification/availability.ts';

/**
 * Proof-of-Availability without simulating 8,640 heartbeats a node a day per oracle.
 *
 * A node beats on the 10 s grid while it is online. An oracle receives every beat but the ones
 * it loses. Consecutive grid beats are 10 s apart, which neither ends a segment (> 15 s) nor is
 * too close (< 5 s); a missing grid point leaves a gap of ≥ 20 s, which ends one. So an oracle's
 * segments are exactly the maximal runs of consecutive grid indices it received, and the
 * available time is Σ (run length − 1) × 10 s: computable from the node's online intervals and
 * the indices of the beats the oracle lost, in time proportional to their number.
 * `heartbeatRuns.property.test.ts` checks this against the protocol's beat-by-beat
 * `availabilityScore`, bit for bit.
 */

/** Half-open [from, to) in ms. */
export type Interval = readonly [number, number];

/** Grid indices (t / HEARTBEAT_MS) of the beats sent in [from, to): ceil(from/H) … ceil(to/H) − 1. */
export function gridRange(from: number, to: number): [number, number] {
  return [Math.ceil(from / HEARTBEAT_MS), Math.ceil(to / HEARTBEAT_MS)];
}

/**
 * The grid index ranges a node beat in, merged where they touch (an offline gap holding no grid
 * point loses no beat), from its online intervals (sorted, disjoint).
 */
export function beatRanges(online: readonly Interval[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [from, to] of online) {
    const [a, b] = gridRange(from, to);
    if (b <= a) continue;
    const last = out[out.length - 1];
    if (last && last[1] >= a) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Beats sent: the number of grid indices in the ranges. */
export const beatsIn = (ranges: readonly (readonly [number, number])[]): number =>
  ranges.reduce((n, [a, b]) => n + (b - a), 0);

/**
 * Available ms as the oracle sees it: the node's beat ranges, less the beats it lost (given as
 * positions 0…beats−1 in the order the node sent them, ascending, no repeats).
 */
export function availableMsFromRuns(
  ranges: readonly (readonly [number, number])[],
  lostPositions: readonly number[],
): number {
  let runsMinusOne = 0; // Σ over runs of (length − 1)
  let position = 0;
  let li = 0;
  for (const [a, b] of ranges) {
    let runStart = a;
    const end = b;
    // Lost beats inside this range split it.
    while (li < lostPositions.length && lostPositions[li]! < position + (b - a)) {
      const k = a + (lostPositions[li]! - position);
      if (k > runStart) runsMinusOne += k - runStart - 1;
      runStart = k + 1;
      li++;
    }
    if (end > runStart) runsMinusOne += end - runStart - 1;
    position += b - a;
  }
  return runsMinusOne * HEARTBEAT_MS;
}

/** The protocol's rounding of available ms to a uint8 score (availabilityScore's last line). */
export const scoreOfAvailableMs = (availableMs: number): number =>
  Math.min(255, Math.round(((availableMs / 1000) * 255) / DAY_SECONDS));

/**
 * Positions (0…beats−1) of the beats an oracle loses, each lost independently with probability
 * `loss`: the distance to the next loss is geometric, one uniform draw per loss (not per beat).
 * `uniform` returns floats in [0, 1).
 */
export function lostPositions(beats: number, loss: number, uniform: () => number): number[] {
  const out: number[] = [];
  if (loss <= 0 || beats <= 0) return out;
  if (loss >= 1) return Array.from({ length: beats }, (_, i) => i);
  const logKeep = Math.log1p(-loss);
  let p = -1;
  for (;;) {
    // P(skip ≥ k) = (1 − loss)^k: skip = floor(ln U / ln(1 − loss)), U in (0, 1].
    const u = 1 - uniform();
    p += 1 + Math.floor(Math.log(u) / logKeep);
    if (p >= beats) return out;
    out.push(p);
  }
}

/** The grid times (ms) of the beats an oracle receives: the beat-by-beat view, for tests. */
export function receivedBeatsMs(
  ranges: readonly (readonly [number, number])[],
  lostPositions: readonly number[],
): number[] {
  const lost = new Set(lostPositions);
  const out: number[] = [];
  let position = 0;
  for (const [a, b] of ranges)
    for (let k = a; k < b; k++, position++) if (!lost.has(position)) out.push(k * HEARTBEAT_MS);
  return out;
}
