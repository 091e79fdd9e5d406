import type { ProviderChoice } from './providers.ts';
import type { ModelRun } from './runModel.ts';

/** What a session reports once it is open and warm. */
export type WorkerInfo = { choice: ProviderChoice; ortVersion: string; warmupMs: number };

/**
 * One query's reply from where the session lives: runModel's result as it is (times are
 * epoch-ms, comparable across threads). The output digest is not here: the main thread
 * computes it (createRuntime), off the session's thread, so a worker spends its time on
 * inference alone.
 */
export type WorkerInferReply = ModelRun;

export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}
