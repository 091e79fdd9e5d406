import type { LoadedModel } from '../models/loadedModel.ts';
import type { TensorData } from '../models/tensorData.ts';
import { abortError, type Executor, QueueFullError, queuedQueriesMax } from './executor.ts';
import type { ModelRun } from './runModel.ts';
import type { RuntimeOptions } from './sessionOptions.ts';
import { slotLayout } from './slotLayout.ts';
import { startWorkerSlot, type WorkerSlot } from './workerSlot.ts';

type Waiting = {
  inputs: readonly TensorData[];
  signal: AbortSignal | undefined;
  resolve: (r: ModelRun) => void;
  reject: (e: unknown) => void;
};

/**
 * `options.workers` worker threads, one session each, fed FIFO from a bounded queue. Each
 * worker holds up to `options.inFlightPerWorker` queries (written into its shared cells), so it
 * starts the next one the moment it finishes one instead of waiting for the main thread. A
 * query goes to the worker with the fewest in flight; when all are full it waits in the queue.
 */
export async function createThreadExecutor(p: {
  model: LoadedModel;
  options: RuntimeOptions;
}): Promise<Executor> {
  const depth = p.options.inFlightPerWorker;
  const layout = slotLayout(p.model, depth);
  const started = await Promise.allSettled(
    Array.from({ length: p.options.workers }, () =>
      startWorkerSlot({
        options: p.options,
        model: p.model,
        layout,
        // Token ids and integer outputs travel as plain numbers, floats as float32.
        isText:
          p.model.textGen !== undefined ||
          !(p.model.output.element === 'float32' || p.model.output.element === 'float64'),
      }),
    ),
  );
  const slots = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(slots.map((s) => s.close()));
    throw failed.reason;
  }
  const queue: Waiting[] = [];
  let head = 0;

  /** The slot with the fewest queries in flight, or undefined when every slot is full. */
  const leastBusy = (): WorkerSlot | undefined => {
    let best: WorkerSlot | undefined;
    let bestCount = depth;
    for (const s of slots) {
      const n = s.inFlight();
      if (n < bestCount) {
        best = s;
        bestCount = n;
        if (n === 0) break;
      }
    }
    return best;
  };

  const dispatch = (slot: WorkerSlot, w: Waiting) => {
    slot
      .run(w.inputs)
      .then(w.resolve, w.reject)
      .finally(() => {
        while (head < queue.length) {
          const next = queue[head]!;
          queue[head++] = undefined as unknown as Waiting;
          if (next.signal?.aborted) next.reject(abortError(next.signal));
          else {
            const free = leastBusy();
            if (!free) {
              head--;
              queue[head] = next;
              return;
            }
            dispatch(free, next);
            return;
          }
        }
        queue.length = 0;
        head = 0;
      });
  };

  return {
    infos: slots.map((s) => s.info),
    run(inputs, signal) {
      return new Promise<ModelRun>((resolve, reject) => {
        if (signal?.aborted) return reject(abortError(signal));
        const w = { inputs, signal, resolve, reject };
        // Earlier queries keep their place: only an empty queue lets a query go straight on.
        const slot = head === queue.length ? leastBusy() : undefined;
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
