import type { ProviderChoice } from './providers.ts';
import type { ModelRun } from './runModel.ts';

/** Messages between the runtime (main thread) and its inference workers. */
export type WorkerTask =
  | { kind: 'info' }
  | { kind: 'infer'; data: Float32Array | BigInt64Array; issuedAtEpochMs: number };

export type WorkerInfo = { choice: ProviderChoice; ortVersion: string; warmupMs: number };

/** Times are epoch-ms with sub-ms precision (timeOrigin + now), comparable across threads. */
export type WorkerInferReply = ModelRun & {
  outputDigest: string;
  startedAtEpochMs: number;
  finishedAtEpochMs: number;
};

export type WorkerReply = WorkerInfo | WorkerInferReply;

export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}
