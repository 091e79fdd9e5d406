import { runOffline } from '../loadgen/runOffline.ts';
import type { ProgressEvent, SystemUnderTest } from '../loadgen/testSettings.ts';
import type { Sample } from '../models/sampleInputs.ts';
import type { Pilot } from './planBench.ts';

export type MeasurePilotParameters = {
  sut: SystemUnderTest;
  samples: readonly Sample[];
  seed: number;
  /** No pilot sends more than this many queries. */
  maxQueries: number;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
};

/** Queries the throughput half of a pilot sends at most (about a second of a fast model). */
const pilotQueriesMax = 200_000;

/** Queries the one-at-a-time half of a pilot sends at most. */
const singleQueriesMax = 200;

/**
 * A short pilot: queries one at a time for about a second (at least three; their median and
 * their worst are the single-query latency and its tail on this machine as it is now, stalls of
 * a shared machine included), then about a second of queries streamed Offline-style (their rate
 * is the throughput). Slow models get at least 8 of those, so the pilot of a one-second model
 * takes about ten seconds.
 */
export async function measurePilot(p: MeasurePilotParameters): Promise<Pilot> {
  const latencies: number[] = [];
  const singleStarted = performance.now();
  for (
    let i = 0;
    !p.signal?.aborted &&
    i < Math.min(singleQueriesMax, p.maxQueries) &&
    (i < 3 || performance.now() - singleStarted < 1000);
    i++
  ) {
    const started = performance.now();
    await p.sut.infer({ sample: p.samples[i % p.samples.length]!, signal: p.signal });
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const singleLatencyMs = latencies[latencies.length >> 1] ?? Number.POSITIVE_INFINITY;
  const singleLatencyMaxMs = latencies[latencies.length - 1] ?? Number.POSITIVE_INFINITY;
  const n = Math.max(
    1,
    Math.min(p.maxQueries, pilotQueriesMax, Math.max(8, Math.ceil((2 * 1000) / singleLatencyMs))),
  );
  const run = await runOffline({
    sut: p.sut,
    samples: p.samples,
    settings: {
      scenario: 'offline',
      minDurationMs: 0,
      minQueries: n,
      maxQueries: n,
      seed: p.seed,
      targetQps: null,
      latencyBoundMs: null,
      targetPercentile: 0.9,
      confidence: 0.99,
    },
    ...(p.signal ? { signal: p.signal } : {}),
    ...(p.onProgress ? { onProgress: p.onProgress } : {}),
  });
  return {
    singleLatencyMs,
    singleLatencyMaxMs,
    offlineQps: run.throughput.queriesPerSecond,
    queries: latencies.length + run.queriesCompleted,
  };
}
