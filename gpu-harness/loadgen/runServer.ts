import { realClock } from './clock.ts';
import { type LoadgenResult, summariseRun } from './loadgenResult.ts';
import { arrivalSchedule } from './poissonSchedule.ts';
import {
  ignoreIfAborted,
  type QueryRecord,
  type RunScenarioParameters,
  toQueryRecord,
} from './testSettings.ts';

/** Queries in flight beyond this mean the system cannot keep up: stop and say so. */
export const outstandingQueriesMax = 4096;

/**
 * Server: queries arrive on a seeded schedule (Poisson by default, or evenly spaced) at
 * targetQps, regardless of whether earlier ones finished. Latency counts from the *scheduled*
 * arrival (as in LoadGen), so a late issue is the system's cost — and so the generator checks
 * itself: each query's actual send time is recorded beside its scheduled one, and a run whose
 * sends lagged (p99 over `lagBoundMs`) is INVALID, since its latencies carry the client's delay
 * and its offered load was lower than the target. Valid otherwise if the p99 meets
 * latencyBoundMs and LoadGen's early-stopping check passes at 99% confidence.
 */
export async function runServer(p: RunScenarioParameters): Promise<LoadgenResult> {
  const { settings, samples, sut } = p;
  if (settings.targetQps === null || settings.latencyBoundMs === null) {
    throw new Error('server: targetQps and latencyBoundMs are required');
  }
  const clock = p.clock ?? realClock;
  const offsetsMs = arrivalSchedule({
    ...settings,
    targetQps: settings.targetQps,
    arrivals: settings.arrivals ?? 'poisson',
  });
  const records: QueryRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  const startedAtEpochMs = clock.nowEpochMs();
  let stopReason: string | null = null;
  let issued = 0;
  let firstSendEpochMs: number | null = null;
  let lastSendEpochMs: number | null = null;
  for (const offsetMs of offsetsMs) {
    if (p.signal?.aborted) break;
    if (inFlight.size >= outstandingQueriesMax) {
      stopReason = `more than ${outstandingQueriesMax} queries outstanding at ${settings.targetQps} QPS; lower the QPS`;
      break;
    }
    const issuedAtEpochMs = startedAtEpochMs + offsetMs;
    // Timers fire up to ~1 ms late: sleep most of the gap, then yield until the arrival time.
    for (
      let remainingMs = issuedAtEpochMs - clock.nowEpochMs();
      remainingMs > 0;
      remainingMs = issuedAtEpochMs - clock.nowEpochMs()
    ) {
      await clock.sleepMs(remainingMs >= 2 ? remainingMs - 1 : 0);
    }
    const sample = samples[issued % samples.length]!;
    issued++;
    const sentAtEpochMs = clock.nowEpochMs();
    firstSendEpochMs ??= sentAtEpochMs;
    lastSendEpochMs = sentAtEpochMs;
    const sendLagMs = sentAtEpochMs - issuedAtEpochMs;
    const pending = sut.infer({ sample, issuedAtEpochMs, signal: p.signal });
    const issueMs = clock.nowEpochMs() - sentAtEpochMs;
    const done: Promise<void> = pending
      .then((result) => {
        const now = clock.nowEpochMs();
        const record = toQueryRecord(result, now, { sendLagMs, clientMs: 0 });
        records.push(record);
        p.onResult?.(result);
        p.onProgress?.({
          queriesDone: records.length,
          queriesIssued: issued,
          elapsedMs: now - startedAtEpochMs,
        });
        record.clientMs = issueMs + (clock.nowEpochMs() - now);
      }, ignoreIfAborted(p.signal))
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  }
  await Promise.all(inFlight);
  const lastScheduledMs = issued > 0 ? offsetsMs[issued - 1]! : 0;
  const firstScheduledMs = offsetsMs[0] ?? 0;
  return summariseRun({
    settings,
    records,
    queriesIssued: issued,
    durationMs: lastScheduledMs,
    wallMs: clock.nowEpochMs() - startedAtEpochMs,
    interrupted: p.signal?.aborted ?? false,
    stopReason,
    sends:
      issued > 1 && firstSendEpochMs !== null && lastSendEpochMs !== null
        ? {
            scheduledSpanMs: lastScheduledMs - firstScheduledMs,
            sentSpanMs: lastSendEpochMs - firstSendEpochMs,
            count: issued,
          }
        : null,
  });
}
