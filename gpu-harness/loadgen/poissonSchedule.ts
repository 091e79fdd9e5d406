import seedrandom from 'seedrandom';

export type PoissonScheduleParameters = {
  targetQps: number;
  seed: number;
  minDurationMs: number;
  minQueries: number;
  maxQueries: number;
};

/**
 * Arrival offsets (ms from the start) of a Poisson process at `targetQps`: exponential gaps
 * from a seeded stream. Like LoadGen, queries are generated until both the minimum duration
 * and the minimum count are covered; more than `maxQueries` is a loud error.
 */
export function poissonSchedule(p: PoissonScheduleParameters): number[] {
  if (!(p.targetQps > 0 && Number.isFinite(p.targetQps))) {
    throw new Error(`targetQps: must be a positive number, got ${p.targetQps}`);
  }
  const rng = seedrandom(`server-arrivals/${p.seed}`);
  const meanGapMs = 1000 / p.targetQps;
  const offsetsMs: number[] = [];
  let t = 0;
  while (offsetsMs.length < p.minQueries || t < p.minDurationMs) {
    if (offsetsMs.length >= p.maxQueries) {
      throw new Error(
        `maxQueries: ${p.maxQueries} queries do not cover ${p.minDurationMs} ms at ${p.targetQps} QPS; lower --target-qps or --duration-ms`,
      );
    }
    // 1 − u lies in (0, 1], so the log is finite.
    t += -Math.log(1 - rng.double()) * meanGapMs;
    offsetsMs.push(t);
  }
  return offsetsMs;
}
