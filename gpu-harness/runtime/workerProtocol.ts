import type { ProviderChoice } from './providers.ts';
import type { ModelRun } from './runModel.ts';

/** What a session reports once it is open and warm. */
export type WorkerInfo = { choice: ProviderChoice; ortVersion: string; warmupMs: number };

/** One query's reply. Times are epoch-ms with sub-ms precision (timeOrigin + now), comparable across threads. */
export type WorkerInferReply = ModelRun & {
  outputDigest: string;
  startedAtEpochMs: number;
  finishedAtEpochMs: number;
};

export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}
