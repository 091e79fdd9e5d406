import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availabilityScore, HEARTBEAT_MS } from '../../protocol/index.ts';
import { RngStream } from '../rng/rngStream.ts';
import {
  availableMsFromRuns,
  beatRanges,
  beatsIn,
  type Interval,
  lostPositions,
  scoreOfAvailableMs,
} from './heartbeatRuns.ts';

const dayMs = 86_400_000;

/**
 * The reference: what an oracle receives beat by beat, the way the simulator used to build it —
 * a beat every 10 s on the grid while the node is online, the n-th beat sent lost when n is in
 * `lost`, none while the oracle is blind (down) — scored by the protocol's own function.
 */
function beatByBeat(
  online: readonly Interval[],
  lost: ReadonlySet<number>,
  blind: readonly Interval[],
): number {
  const received: number[] = [];
  let n = 0;
  for (const [from, to] of online)
    for (let t = Math.ceil(from / HEARTBEAT_MS) * HEARTBEAT_MS; t < to; t += HEARTBEAT_MS, n++)
      if (!lost.has(n) && !blind.some(([a, b]) => t >= a && t < b)) received.push(t);
  return availabilityScore(received);
}

/** Sorted, disjoint intervals inside one day from sorted cut points (restarts flip the state). */
const intervalsArb = fc.array(fc.integer({ min: 0, max: dayMs }), { maxLength: 24 }).chain((cuts) =>
  fc.boolean().map((onAtStart) => {
    const edges = [...new Set([0, ...cuts, dayMs])].sort((a, b) => a - b);
    const out: Interval[] = [];
    let on = onAtStart;
    for (let i = 0; i + 1 < edges.length; i++, on = !on)
      if (on) out.push([edges[i]!, edges[i + 1]!]);
    return out;
  }),
);
/** Short flaps too: intervals whose ends fall between grid points, touching ones, sub-10 s gaps. */
const jitteredArb = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 8_639 }),
      fc.integer({ min: 0, max: 25_000 }),
      fc.integer({ min: 1, max: 9_999 }),
    ),
    { maxLength: 12 },
  )
  .map((xs) => {
    const out: Interval[] = [];
    let t = 0;
    for (const [gapBeats, len, jitter] of xs.sort((a, b) => a[0] - b[0])) {
      const from = Math.max(t, gapBeats * HEARTBEAT_MS + jitter);
      const to = Math.min(dayMs, from + len);
      if (to > from) out.push([from, to]);
      t = to;
    }
    return out;
  });

/** Fast flapping: online spans of 0–60 s separated by offline gaps of 0–25 s (some hold no grid point). */
const flappingArb = fc
  .tuple(
    fc.integer({ min: 0, max: dayMs - 3_600_000 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 1, max: 25_000 })), {
      minLength: 1,
      maxLength: 30,
    }),
  )
  .map(([start, spans]) => {
    const out: Interval[] = [];
    let t = start;
    for (const [on, off] of spans) {
      if (on > 0) out.push([t, t + on]);
      t += on + off;
    }
    return out;
  });

describe('heartbeats as runs', () => {
  it('score the same as beat by beat, bit for bit: losses, restarts and oracle outages', () => {
    fc.assert(
      fc.property(
        fc.oneof(intervalsArb, jitteredArb, flappingArb),
        fc.array(fc.nat(8_640), { maxLength: 40 }),
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: dayMs }), fc.integer({ min: 0, max: 3_600_000 })),
          { maxLength: 3 },
        ),
        (online, lostRaw, outages) => {
          const ranges = beatRanges(online);
          const beats = beatsIn(ranges);
          const blind: Interval[] = outages.map(([a, len]) => [a, a + len]);
          // An outage hides the beats sent while the oracle was down: positions of those beats.
          const lost = new Set(lostRaw.filter((p) => p < beats));
          let n = 0;
          for (const [a, b] of ranges)
            for (let k = a; k < b; k++, n++)
              if (blind.some(([x, y]) => k * HEARTBEAT_MS >= x && k * HEARTBEAT_MS < y))
                lost.add(n);
          const positions = [...lost].sort((x, y) => x - y);
          const runs = scoreOfAvailableMs(availableMsFromRuns(ranges, positions));
          expect(runs).toBe(beatByBeat(online, new Set(lostRaw.filter((p) => p < beats)), blind));
        },
      ),
      { seed: 16, numRuns: 400 },
    );
  });

  it('an always-online node with no loss scores 255; a node never online scores 0', () => {
    expect(scoreOfAvailableMs(availableMsFromRuns(beatRanges([[0, dayMs]]), []))).toBe(255);
    expect(scoreOfAvailableMs(availableMsFromRuns(beatRanges([]), []))).toBe(0);
  });

  it('loses each beat independently with the given probability (one draw per loss)', () => {
    const rng = new RngStream({ name: 'hb', streamSeed: 'heartbeat-loss-test' });
    let draws = 0;
    const uniform = () => {
      draws++;
      return rng.float();
    };
    const beats = 8_640;
    const loss = 0.01;
    const trials = 400;
    let lostTotal = 0;
    const perPosition = new Array<number>(10).fill(0);
    for (let i = 0; i < trials; i++) {
      const lost = lostPositions(beats, loss, uniform);
      expect(lost.every((p, j) => p >= 0 && p < beats && (j === 0 || p > lost[j - 1]!))).toBe(true);
      lostTotal += lost.length;
      for (const p of lost) if (p < 10) perPosition[p]!++;
    }
    const mean = beats * loss * trials;
    const sd = Math.sqrt(beats * loss * (1 - loss) * trials);
    expect(Math.abs(lostTotal - mean)).toBeLessThan(4 * sd);
    // The first positions are not favoured or starved (geometric, not shifted by one).
    const first = perPosition.reduce((a, b) => a + b, 0);
    expect(Math.abs(first - 10 * loss * trials)).toBeLessThan(
      4 * Math.sqrt(10 * loss * trials) + 2,
    );
    expect(draws).toBe(lostTotal + trials);
  });
});
