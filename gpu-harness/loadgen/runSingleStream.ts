import { realClock } from './clock.ts';
import { type LoadgenResult, summariseRun } from './loadgenResult.ts';
import { type QueryRecord, type RunScenarioParameters, toQueryRecord } from './testSettings.ts';

/**
 * SingleStream: one query at a time, the next issued when the previous returns, until both
 * the minimum duration and the minimum query count are reached (or maxQueries / abort).
 * Headline: p90 latency, with LoadGen's early-stopping estimate beside it.
 */
export async function runSingleStream(p: RunScenarioParameters): Promise<LoadgenResult> {
  const { settings, samples, sut } = p;
  const clock = p.clock ?? realClock;
  const records: QueryRecord[] = [];
  const startedAtEpochMs = clock.nowEpochMs();
  let lastIssueOffsetMs = 0;
  let elapsedMs = 0;
  while (records.length < settings.maxQueries && !p.signal?.aborted) {
    // LoadGen's rule: the last *issued* query must start after the minimum duration.
    if (lastIssueOffsetMs >= settings.minDurationMs && records.length >= settings.minQueries) break;
    const issuedAtEpochMs = clock.nowEpochMs();
    lastIssueOffsetMs = issuedAtEpochMs - startedAtEpochMs;
    const pending = sut.infer({
      sample: samples[records.length % samples.length]!,
      issuedAtEpochMs,
    });
    const issueMs = clock.nowEpochMs() - issuedAtEpochMs;
    const result = await pending;
    const now = clock.nowEpochMs();
    const record = toQueryRecord(result, now);
    records.push(record);
    p.onResult?.(result);
    elapsedMs = now - startedAtEpochMs;
    p.onProgress?.({ queriesDone: records.length, queriesIssued: records.length, elapsedMs });
    record.clientMs = issueMs + (clock.nowEpochMs() - now);
  }
  return summariseRun({
    settings,
    records,
    queriesIssued: records.length,
    durationMs: lastIssueOffsetMs,
    wallMs: elapsedMs,
    interrupted: p.signal?.aborted ?? false,
    stopReason: null,
    sends: null,
  });
}
