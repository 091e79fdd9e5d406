import type { Sample } from '../models/sampleInputs.ts';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import type { Clock } from './clock.ts';

export const loadgenScenarios = ['single-stream', 'server', 'offline'] as const;
export type LoadgenScenario = (typeof loadgenScenarios)[number];

/** LoadGen's knobs, scaled down so a node operator (or a test) can run in seconds. */
export type TestSettings = {
  scenario: LoadgenScenario;
  minDurationMs: number;
  minQueries: number;
  /** Hard bound on issued queries; LoadGen's max_query_count. */
  maxQueries: number;
  seed: number;
  /** Server: the Poisson arrival rate. Offline: the expected samples/s (sizes the one query). */
  targetQps: number | null;
  /** Server: the latency bound the percentile must meet. */
  latencyBoundMs: number | null;
  /** SingleStream 0.90, Server 0.99 in MLPerf. */
  targetPercentile: number;
  confidence: number;
  /** Server: Poisson arrivals (LoadGen's) or evenly spaced ones. Default poisson. */
  arrivals?: Arrivals;
  /**
   * Server: the send lag (actual − scheduled send time) whose p99 marks the load generator as
   * behind its schedule, making the run INVALID. Default: 25 % of the latency bound, at least 2 ms.
   */
  lagBoundMs?: number;
  /** Per-request service-level objectives; the result reports goodput against them. */
  slo?: Slo;
  /** Offline: queries in flight at once while the sample set streams through (default 1024). */
  offlineWindow?: number;
};

export const arrivalKinds = ['poisson', 'constant'] as const;
export type Arrivals = (typeof arrivalKinds)[number];

/** A request meets its SLO when each bound given is met (null: no bound on that figure). */
export type Slo = { firstTokenMs: number | null; timePerOutputTokenMs: number | null };

/** Anything that answers queries: the runtime, or a fake in tests. */
export type SystemUnderTest = {
  /** With `signal`, queries still waiting for a worker are dropped when it aborts. */
  infer: (p: {
    sample: Sample;
    issuedAtEpochMs?: number;
    signal?: AbortSignal;
  }) => Promise<InferenceResult>;
};

/** Rejection handler for queries: an abort drops the query, anything else is rethrown. */
export function ignoreIfAborted(signal: AbortSignal | undefined) {
  return (error: unknown): void => {
    if (signal?.aborted) return;
    throw error;
  };
}

export type ProgressEvent = { queriesDone: number; queriesIssued: number; elapsedMs: number };

/** What every scenario runner takes. */
export type RunScenarioParameters = {
  sut: SystemUnderTest;
  samples: readonly Sample[];
  settings: TestSettings;
  clock?: Clock;
  /** Aborting stops issuing; finished queries are kept and the result is marked interrupted. */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Sees every finished query (receipts hook in here later). */
  onResult?: (result: InferenceResult) => void;
};

/** The compact per-query record kept by the load generator. */
export type QueryRecord = {
  latencyMs: number;
  firstTokenMs: number | null;
  timePerOutputTokenMs: number | null;
  cu: number;
  generatedTokens: number;
  finishedAtEpochMs: number;
  /** Server: actual send time − scheduled send time. */
  sendLagMs: number | null;
  /** Time the load generator itself spent on the query: issuing it and taking its result. */
  clientMs: number;
};

export function toQueryRecord(
  r: InferenceResult,
  receivedAtEpochMs: number,
  generator: { sendLagMs: number | null; clientMs: number } = { sendLagMs: null, clientMs: 0 },
): QueryRecord {
  return {
    latencyMs: r.timings.latencyMs,
    firstTokenMs: r.timings.firstTokenMs,
    timePerOutputTokenMs: r.timings.timePerOutputTokenMs,
    cu: r.units.cu,
    generatedTokens: r.units.generatedTokens ?? 0,
    finishedAtEpochMs: receivedAtEpochMs,
    sendLagMs: generator.sendLagMs,
    clientMs: generator.clientMs,
  };
}

export const defaultPercentiles: Record<LoadgenScenario, number> = {
  'single-stream': 0.9,
  server: 0.99,
  offline: 0.9,
};
