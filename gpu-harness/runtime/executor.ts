import type { TensorData } from '../models/tensorData.ts';
import type { ModelRun } from './runModel.ts';
import type { WorkerInfo } from './workerProtocol.ts';

/** Where queries run: worker threads (threadExecutor) or the calling thread (inlineExecutor). */
export type Executor = {
  infos: WorkerInfo[];
  /** With `signal`, a query still waiting for a free session is dropped when it aborts. */
  run: (inputs: readonly TensorData[], signal?: AbortSignal) => Promise<ModelRun>;
  close: () => Promise<void>;
};

/** Bound on queries waiting for a free session; hitting it is an error, never a silent slowdown. */
export const queuedQueriesMax = 10_000;

export class QueueFullError extends Error {
  override name = 'QueueFullError';
  constructor() {
    super(`runtime: more than ${queuedQueriesMax} queries waiting for a worker`);
  }
}

export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('query aborted', 'AbortError');
}
