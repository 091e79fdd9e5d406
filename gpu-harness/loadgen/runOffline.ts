import { realClock } from './clock.ts';
import { type LoadgenResult, summariseRun } from './loadgenResult.ts';
import {
  ignoreIfAborted,
  type QueryRecord,
  type RunScenarioParameters,
  toQueryRecord,
} from './testSettings.ts';

/** Offline sends one query of this many samples at most (maxQueries is bounded the same). */
export const offlineSamplesMax = 10_000_000;
/** Samples in flight at once by default while the query streams through the system. */
export const offlineWindowDefault = 1024;

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

/**
 * Offline: the whole sample set is one query, issued at time zero (every sample's latency
 * counts from the start); the figure is samples per second. The samples stream through the
 * system under test — at most `offlineWindow` in flight, the next sent as one finishes — so
 * memory and the runtime's queue stay bounded however large the set is, while the system
 * always has far more work waiting than it can run at once.
 */
export async function runOffline(p: RunScenarioParameters): Promise<LoadgenResult> {
  const { settings, samples, sut } = p;
  const clock = p.clock ?? realClock;
  const count = offlineSampleCount(settings);
  const window = settings.offlineWindow ?? offlineWindowDefault;
  if (!Number.isInteger(window) || window < 1)
    throw new Error(`offlineWindow: expected a positive integer, got ${window}`);
  const records: QueryRecord[] = [];
  const startedAtEpochMs = clock.nowEpochMs();
  let issued = 0;
  let settled = 0;
  let failure: unknown = null;
  await new Promise<void>((resolve) => {
    const finishIfDone = () => {
      const stopIssuing = failure !== null || p.signal?.aborted || issued >= count;
      if (stopIssuing && settled === issued) resolve();
    };
    const issue = (): void => {
      const sample = samples[issued % samples.length]!;
      issued++;
      const sentAtEpochMs = clock.nowEpochMs();
      const pending = sut.infer({ sample, issuedAtEpochMs: startedAtEpochMs, signal: p.signal });
      const issueMs = clock.nowEpochMs() - sentAtEpochMs;
      pending
        .then((result) => {
          const now = clock.nowEpochMs();
          const record = toQueryRecord(result, now);
          records.push(record);
          p.onResult?.(result);
          p.onProgress?.({
            queriesDone: records.length,
            queriesIssued: issued,
            elapsedMs: now - startedAtEpochMs,
          });
          record.clientMs = issueMs + (clock.nowEpochMs() - now);
        }, ignoreIfAborted(p.signal))
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => {
          settled++;
          if (failure === null && !p.signal?.aborted && issued < count) issue();
          finishIfDone();
        });
    };
    while (issued < Math.min(window, count) && !p.signal?.aborted) issue();
    finishIfDone();
  });
  if (failure !== null) throw failure;
  const wallMs = clock.nowEpochMs() - startedAtEpochMs;
  return summariseRun({
    settings,
    records,
    queriesIssued: issued,
    durationMs: wallMs,
    wallMs,
    interrupted: p.signal?.aborted ?? false,
    stopReason: null,
    sends: null,
  });
}
