import { minPassingQueries } from '../loadgen/earlyStopping.ts';
import type { LoadgenScenario } from '../loadgen/testSettings.ts';

/**
 * How a default run is sized, from LoadGen's rules and a short pilot on this machine:
 *
 * - SingleStream: at least the queries the p90 early-stopping estimate needs at 99 % confidence
 *   (64), and the minimum duration.
 * - Offline: one query set of expected QPS × min duration × 1.1 samples (LoadGen's sizing), the
 *   expected QPS being twice the pilot's (a short pilot reads low more often than high, and a run
 *   that ends before the minimum duration is invalid); streamed, so any size fits in memory.
 * - Server: arrivals at half the pilot's Offline throughput (queues stay short: the figure is
 *   the latency at a realistic load, not the saturation point), at least the queries the p99
 *   early-stopping check needs when two queries miss the bound, and the minimum duration. The
 *   latency bound is the model's own (set for a GPU-class device) unless this device cannot meet
 *   it one query at a time: then 8 × the pilot's median single-query latency or 2 × its worst,
 *   whichever is more, and the result says so.
 */
export const singleStreamMinQueries =
  minPassingQueries(1, { percentile: 0.9, confidence: 0.99 }) + 1;
/** Server passes with up to two queries over the bound: a couple of stragglers do not sink it. */
export const serverMinQueries = minPassingQueries(2, { percentile: 0.99, confidence: 0.99 }) + 2;
export const offlineMinQueries = 64;
export const serverLoadShare = 0.5;
export const offlineSizingFactor = 2;
export const measuredBoundFactor = 8;
/** …and at least twice the worst single query the pilot saw (a shared machine's stalls). */
export const measuredTailFactor = 2;
/** The latency bound of a model that does not declare one (the toy zoo's). */
export const latencyBoundDefaultMs = 50;

/** What a short pilot measured: one query at a time (median and worst), then many at once. */
export type Pilot = {
  singleLatencyMs: number;
  singleLatencyMaxMs: number;
  offlineQps: number;
  queries: number;
};

export type PlanBenchParameters = {
  scenario: LoadgenScenario;
  minDurationMs: number;
  maxQueries: number;
  /** Flags as given; null means "plan it". */
  given: {
    minQueries: number | null;
    targetQps: number | null;
    latencyBoundMs: number | null;
    searchSteps: number | null;
  };
  modelLatencyBoundMs: number | undefined;
  pilot: Pilot | null;
};

export type BenchPlan = {
  minQueries: number;
  /** Server: the arrival rate (search: the bracket's high end); Offline: expected samples/s. */
  targetQps: number | null;
  latencyBoundMs: number | null;
  latencyBoundFrom: 'flag' | 'model' | 'measured' | null;
  /** Server QPS search (only with --search-steps). */
  search: { steps: number; lowQps: number; highQps: number } | null;
  /** Planned queries and wall time of the main run (null where nothing was measured). */
  expectedQueries: number | null;
  expectedMs: number | null;
  /** Why each planned number is what it is, for the report. */
  notes: string[];
};

/** Does this plan need a pilot run first? */
export function needsPilot(p: Omit<PlanBenchParameters, 'pilot'>): boolean {
  if (p.scenario === 'offline') return p.given.targetQps === null;
  if (p.scenario === 'server') return p.given.targetQps === null || p.given.latencyBoundMs === null;
  return false;
}

const round3 = (x: number) => Number(x.toPrecision(3));

function serverBound(p: PlanBenchParameters, notes: string[]) {
  if (p.given.latencyBoundMs !== null)
    return { latencyBoundMs: p.given.latencyBoundMs, latencyBoundFrom: 'flag' as const };
  const declared = p.modelLatencyBoundMs ?? latencyBoundDefaultMs;
  const measured = p.pilot
    ? round3(
        Math.max(
          measuredBoundFactor * p.pilot.singleLatencyMs,
          measuredTailFactor * p.pilot.singleLatencyMaxMs,
        ),
      )
    : 0;
  if (measured > declared) {
    notes.push(
      `latency bound ${measured} ms: ${measuredBoundFactor} × the median (${p.pilot!.singleLatencyMs.toFixed(2)} ms) or ${measuredTailFactor} × the worst (${p.pilot!.singleLatencyMaxMs.toFixed(2)} ms) of single queries in the pilot, whichever is more, since this device cannot meet the model's ${declared} ms; pass --latency-bound-ms to hold it to another`,
    );
    return { latencyBoundMs: measured, latencyBoundFrom: 'measured' as const };
  }
  notes.push(`latency bound ${declared} ms: the model's`);
  return { latencyBoundMs: declared, latencyBoundFrom: 'model' as const };
}

/** Sizes one run; throws when a needed pilot is missing (a programmer error). */
export function planBench(p: PlanBenchParameters): BenchPlan {
  const notes: string[] = [];
  if (needsPilot(p) && !p.pilot) throw new Error(`planBench: ${p.scenario} needs a pilot here`);
  const durationS = p.minDurationMs / 1000;
  if (p.scenario === 'single-stream') {
    const minQueries = p.given.minQueries ?? singleStreamMinQueries;
    if (p.given.minQueries === null)
      notes.push(`${minQueries} queries at least: what the p90 early-stopping estimate needs`);
    return {
      minQueries,
      targetQps: null,
      latencyBoundMs: null,
      latencyBoundFrom: null,
      search: null,
      expectedQueries: null,
      expectedMs: null,
      notes,
    };
  }
  if (p.scenario === 'offline') {
    const minQueries = p.given.minQueries ?? offlineMinQueries;
    const targetQps = p.given.targetQps ?? round3(offlineSizingFactor * p.pilot!.offlineQps);
    const samples = Math.min(
      p.maxQueries,
      Math.max(minQueries, Math.ceil(targetQps * durationS * 1.1)),
    );
    if (p.given.targetQps === null)
      notes.push(
        `${samples} samples: ${offlineSizingFactor} × the pilot's ${p.pilot!.offlineQps.toFixed(1)} samples/s × ${durationS} s × 1.1, streamed through the runtime`,
      );
    const rate = p.pilot?.offlineQps ?? targetQps;
    return {
      minQueries,
      targetQps,
      latencyBoundMs: null,
      latencyBoundFrom: null,
      search: null,
      expectedQueries: samples,
      expectedMs: (samples / rate) * 1000,
      notes,
    };
  }
  const bound = serverBound(p, notes);
  const minQueries = p.given.minQueries ?? serverMinQueries;
  if (p.given.minQueries === null)
    notes.push(
      `${minQueries} queries at least: what the p99 early-stopping check needs with two over the bound`,
    );
  const steps = p.given.searchSteps ?? 0;
  const highQps = p.given.targetQps ?? round3(p.pilot!.offlineQps);
  const targetQps =
    steps > 0 ? highQps : (p.given.targetQps ?? round3(serverLoadShare * p.pilot!.offlineQps));
  if (p.given.targetQps === null && steps === 0)
    notes.push(
      `${targetQps} QPS: ${serverLoadShare} × the pilot's Offline ${p.pilot!.offlineQps.toFixed(1)} samples/s; --search-steps N searches for the highest valid QPS`,
    );
  const expectedQueries = Math.min(
    p.maxQueries,
    Math.max(minQueries, Math.ceil(targetQps * durationS)),
  );
  return {
    minQueries,
    targetQps,
    ...bound,
    search: steps > 0 ? { steps, lowQps: round3(highQps / 4), highQps } : null,
    expectedQueries,
    expectedMs: (expectedQueries / targetQps) * 1000,
    notes,
  };
}
