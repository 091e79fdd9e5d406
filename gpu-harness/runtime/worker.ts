import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedModel } from '../models/loadedModel.ts';
import { makeSample } from '../models/sampleInputs.ts';
import { allocTensor, copyTensor } from '../models/tensorData.ts';
import { openSession, ortVersion } from './openSession.ts';
import type { ModelRun } from './runModel.ts';
import { runModel } from './runModel.ts';
import type { RuntimeOptions } from './sessionOptions.ts';
import {
  type CellViews,
  cellCtrl,
  dimsMax,
  head,
  type SlotLayout,
  seqAtOrAfter,
  slotViews,
} from './slotLayout.ts';
import type { WorkerInfo } from './workerProtocol.ts';

/**
 * An inference worker: one onnxruntime session, opened and warmed before the first query,
 * serving queries in seq order from its slot's cells. When the next query is already written
 * it starts at once; otherwise it spins briefly (the next query of a busy stream usually
 * arrives within microseconds; a futex wake-up costs ~10 µs), then blocks in Atomics.wait.
 * The thread does nothing else, so blocking it costs nothing. It wakes the main thread after
 * a reply only when its queue has run down to half the cells (always, at 2 cells or fewer).
 */
export type WorkerData = {
  options: RuntimeOptions;
  /** The model as plain data: onnxruntime opens its file (or its bytes, copied here). */
  model: LoadedModel;
  sab: SharedArrayBuffer;
  layout: SlotLayout;
};

export const idleSpinMs = 0.05;
const utf8 = new TextEncoder();

function writeReply(c: CellViews, reply: ModelRun): void {
  const n = reply.values.length;
  c.values.set(reply.values);
  c.ctrl[cellCtrl.valueCount] = n;
  c.ctrl[cellCtrl.dimCount] = reply.dims.length;
  for (let i = 0; i < reply.dims.length && i < dimsMax; i++)
    c.ctrl[cellCtrl.dims + i] = reply.dims[i]!;
  c.tokenTimes.set(reply.tokenTimesMs);
  c.ctrl[cellCtrl.tokenTimeCount] = reply.tokenTimesMs.length;
  c.meta[0] = reply.startedAtEpochMs;
  c.meta[1] = reply.finishedAtEpochMs;
  c.meta[2] = reply.runMs;
  c.ctrl[cellCtrl.status] = 0;
}

function writeError(c: CellViews, error: unknown): void {
  const bytes = utf8.encode(String((error as Error)?.stack ?? error)).subarray(0, c.error.length);
  c.error.set(bytes);
  c.ctrl[cellCtrl.errorBytes] = bytes.length;
  c.ctrl[cellCtrl.status] = 1;
}

/** Waits until the main thread has written query `next` (spin first, then block). */
function awaitRequest(h: Int32Array, next: number): void {
  const spinUntil = performance.now() + idleSpinMs;
  while (!seqAtOrAfter(Atomics.load(h, head.requestSeq), next) && performance.now() < spinUntil) {}
  for (;;) {
    const current = Atomics.load(h, head.requestSeq);
    if (seqAtOrAfter(current, next)) return;
    Atomics.wait(h, head.requestSeq, current);
  }
}

async function serve(data: WorkerData): Promise<void> {
  const { options, model } = data;
  const { session, choice, placement } = await openSession({ model, options });
  const warmupStarted = performance.now();
  const warmup = makeSample({ model, seed: options.seed, index: 0 });
  for (let i = 0; i < options.warmupIterations; i++)
    await runModel({ session, model, inputs: warmup.inputs });
  const info: WorkerInfo = {
    choice,
    placement,
    ortVersion,
    warmupMs: performance.now() - warmupStarted,
  };
  parentPort!.postMessage({ kind: 'info', info });
  const v = slotViews(data.sab, data.layout);
  // onnxruntime-node refuses tensors over shared memory: copy the inputs out of the cell.
  const inputs = data.layout.inputs.map((i) => allocTensor(i.element, i.count));
  let next = 1;
  let cell = 0;
  const wakeAtQueued = Math.floor(data.layout.depth / 2);
  for (;;) {
    awaitRequest(v.head, next);
    if (Atomics.load(v.head, head.stop) === 1) break;
    const c = v.cells[cell]!;
    for (let i = 0; i < inputs.length; i++) copyTensor(inputs[i]!, c.inputs[i]!);
    try {
      // runModel directly: every extra async layer here costs the inference thread.
      writeReply(c, await runModel({ session, model, inputs }));
    } catch (error) {
      writeError(c, error);
    }
    Atomics.store(v.head, head.replySeq, next);
    // Waking the main thread costs this thread ~4 µs (more on a busy machine: V8 posts a task
    // to the main isolate). With deep cells, wake it only once the queued queries run low, in
    // time to refill them; at depth ≤ 2 that is after every reply.
    const queuedAfter = (Atomics.load(v.head, head.requestSeq) - next) | 0;
    if (queuedAfter <= wakeAtQueued) Atomics.notify(v.head, head.replySeq);
    next = (next + 1) | 0;
    cell = (cell + 1) % data.layout.depth;
  }
  await session.release();
}

serve(workerData as WorkerData).catch((error: unknown) => {
  parentPort!.postMessage({ kind: 'error', message: String((error as Error)?.stack ?? error) });
});
