import { realClock } from './clock.ts';
import { type ScenarioResult, summariseRun } from './scenarioResult.ts';
import {
  ignoreIfAborted,
  type QueryRecord,
  type RunScenarioParameters,
  toQueryRecord,
} from './testSettings.ts';

/** Offline sends one query of this many samples at most. */
export const offlineSamplesMax = 200_000;

/**
 * The Offline sample count: LoadGen sizes the single query as expected QPS × min duration
 * × 1.1 (never below minQueries), so the run lasts at least the minimum duration.
 */
export function offlineSampleCount(settings: RunScenarioParameters['settings']): number {
  const byDuration = settings.targetQps
    ? Math.ceil(settings.targetQps * (settings.minDurationMs / 1000) * 1.1)
    : 0;
  const count = Math.min(settings.maxQueries, Math.max(settings.minQueries, byDuration));
  if (count > offlineSamplesMax) {
    throw new Error(
      `offline: ${count} samples exceed the bound ${offlineSamplesMax}; lower --target-qps or --duration-ms`,
    );
  }
  return count;
}

/** Offline: every sample is issued at once; the figure is samples per second. */
export async function runOffline(p: RunScenarioParameters): Promise<ScenarioResult> {
  const { settings, samples, sut } = p;
  const clock = p.clock ?? realClock;
  const count = offlineSampleCount(settings);
  const records: QueryRecord[] = [];
  const startedAtEpochMs = clock.nowEpochMs();
  let issued = 0;
  const all: Promise<void>[] = [];
  for (let i = 0; i < count && !p.signal?.aborted; i++) {
    issued++;
    const sample = samples[i % samples.length]!;
    all.push(
      sut.infer({ sample, issuedAtEpochMs: startedAtEpochMs, signal: p.signal }).then((result) => {
        const now = clock.nowEpochMs();
        records.push(toQueryRecord(result, now));
        p.onResult?.(result);
        p.onProgress?.({
          queriesDone: records.length,
          queriesIssued: issued,
          elapsedMs: now - startedAtEpochMs,
        });
      }, ignoreIfAborted(p.signal)),
    );
  }
  await Promise.all(all);
  const wallMs = clock.nowEpochMs() - startedAtEpochMs;
  return summariseRun({
    settings,
    records,
    queriesIssued: issued,
    durationMs: wallMs,
    wallMs,
    interrupted: p.signal?.aborted ?? false,
    stopReason: null,
  });
}
