import type { ZooModel } from '../models/registry.ts';
import { abortError, type Executor, QueueFullError, queuedQueriesMax } from './executor.ts';
import type { RuntimeOptions } from './sessionOptions.ts';
import { slotLayout } from './slotLayout.ts';
import type { WorkerInferReply } from './workerProtocol.ts';
import { startWorkerSlot, type WorkerSlot } from './workerSlot.ts';

type Waiting = {
  data: Float32Array | BigInt64Array;
  signal: AbortSignal | undefined;
  resolve: (r: WorkerInferReply) => void;
  reject: (e: unknown) => void;
};

/**
 * `options.workers` worker threads, one session each, fed FIFO from a bounded queue. A query
 * goes straight to an idle worker through shared memory; otherwise it waits for the next free one.
 */
export async function createThreadExecutor(p: {
  model: ZooModel;
  options: RuntimeOptions;
}): Promise<Executor> {
  const layout = slotLayout(p.model);
  const started = await Promise.allSettled(
    Array.from({ length: p.options.workers }, () =>
      startWorkerSlot({ options: p.options, layout, isText: p.model.textGen !== undefined }),
    ),
  );
  const slots = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(slots.map((s) => s.close()));
    throw failed.reason;
  }
  const idle: WorkerSlot[] = [...slots];
  const queue: Waiting[] = [];
  let head = 0;

  const dispatch = (slot: WorkerSlot, w: Waiting) => {
    slot
      .run(w.data)
      .then(w.resolve, w.reject)
      .finally(() => {
        while (head < queue.length) {
          const next = queue[head]!;
          queue[head++] = undefined as unknown as Waiting;
          if (next.signal?.aborted) next.reject(abortError(next.signal));
          else return dispatch(slot, next);
        }
        queue.length = 0;
        head = 0;
        idle.push(slot);
      });
  };

  return {
    infos: slots.map((s) => s.info),
    run(data, signal) {
      return new Promise<WorkerInferReply>((resolve, reject) => {
        if (signal?.aborted) return reject(abortError(signal));
        const w = { data, signal, resolve, reject };
        const slot = idle.pop();
        if (slot) return dispatch(slot, w);
        if (queue.length - head >= queuedQueriesMax) return reject(new QueueFullError());
        queue.push(w);
        signal?.addEventListener('abort', () => reject(abortError(signal)), { once: true });
      });
    },
    close: async () => {
      await Promise.all(slots.map((s) => s.close()));
    },
  };
}
