import seedrandom from 'seedrandom';
import type { Arrivals } from './testSettings.ts';

export type PoissonScheduleParameters = {
  targetQps: number;
  seed: number;
  minDurationMs: number;
  minQueries: number;
  maxQueries: number;
};

function assertRate(targetQps: number): void {
  if (!(targetQps > 0 && Number.isFinite(targetQps))) {
    throw new Error(`targetQps: must be a positive number, got ${targetQps}`);
  }
}

/** Offsets from successive gaps until both the minimum duration and count are covered. */
function schedule(p: PoissonScheduleParameters, gapMs: () => number): number[] {
  const offsetsMs: number[] = [];
  let t = 0;
  while (offsetsMs.length < p.minQueries || t < p.minDurationMs) {
    if (offsetsMs.length >= p.maxQueries) {
      throw new Error(
        `maxQueries: ${p.maxQueries} queries do not cover ${p.minDurationMs} ms at ${p.targetQps} QPS; lower --target-qps or --duration-ms`,
      );
    }
    t += gapMs();
    offsetsMs.push(t);
  }
  return offsetsMs;
}

/**
 * Arrival offsets (ms from the start) of a Poisson process at `targetQps`: exponential gaps
 * from a seeded stream. Like LoadGen, queries are generated until both the minimum duration
 * and the minimum count are covered; more than `maxQueries` is a loud error.
 */
export function poissonSchedule(p: PoissonScheduleParameters): number[] {
  assertRate(p.targetQps);
  const rng = seedrandom(`server-arrivals/${p.seed}`);
  const meanGapMs = 1000 / p.targetQps;
  // 1 − u lies in (0, 1], so the log is finite.
  return schedule(p, () => -Math.log(1 - rng.double()) * meanGapMs);
}

/** Evenly spaced arrivals, one every 1000 / targetQps ms (the first after one gap). */
export function constantSchedule(p: PoissonScheduleParameters): number[] {
  assertRate(p.targetQps);
  const gapMs = 1000 / p.targetQps;
  return schedule(p, () => gapMs);
}

export function arrivalSchedule(p: PoissonScheduleParameters & { arrivals: Arrivals }): number[] {
  return p.arrivals === 'constant' ? constantSchedule(p) : poissonSchedule(p);
}
