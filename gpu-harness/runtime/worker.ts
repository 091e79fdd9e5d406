import { parentPort, workerData } from 'node:worker_threads';
import { getModel } from '../models/registry.ts';
import { makeSample } from '../models/sampleInputs.ts';
import { inferOnce } from './inferOnce.ts';
import { openSession, ortVersion } from './openSession.ts';
import type { RuntimeOptions } from './sessionOptions.ts';
import { ctrl, dimsMax, type SlotLayout, type SlotViews, slotViews } from './slotLayout.ts';
import type { WorkerInferReply, WorkerInfo } from './workerProtocol.ts';

/**
 * An inference worker: one onnxruntime session, opened and warmed before the first query,
 * serving queries through its shared slot. Between queries it spins briefly (the next query
 * of a busy stream usually arrives within microseconds; a futex wake-up costs ~10 µs), then
 * blocks in Atomics.wait. The thread does nothing else, so blocking it costs nothing.
 */
export type WorkerData = { options: RuntimeOptions; sab: SharedArrayBuffer; layout: SlotLayout };

export const idleSpinMs = 0.05;
const utf8 = new TextEncoder();

function writeReply(v: SlotViews, reply: WorkerInferReply): void {
  const n = reply.values.length;
  for (let i = 0; i < n; i++) v.values[i] = reply.values[i]!;
  v.ctrl[ctrl.valueCount] = n;
  v.ctrl[ctrl.dimCount] = reply.dims.length;
  for (let i = 0; i < reply.dims.length && i < dimsMax; i++) v.ctrl[ctrl.dims + i] = reply.dims[i]!;
  v.tokenTimes.set(reply.tokenTimesMs);
  v.ctrl[ctrl.tokenTimeCount] = reply.tokenTimesMs.length;
  v.meta[0] = reply.startedAtEpochMs;
  v.meta[1] = reply.finishedAtEpochMs;
  v.meta[2] = reply.runMs;
  utf8.encodeInto(reply.outputDigest, v.digest);
  v.ctrl[ctrl.status] = 0;
}

function writeError(v: SlotViews, error: unknown): void {
  const bytes = utf8.encode(String((error as Error)?.stack ?? error)).subarray(0, v.error.length);
  v.error.set(bytes);
  v.ctrl[ctrl.errorBytes] = bytes.length;
  v.ctrl[ctrl.status] = 1;
}

async function serve(data: WorkerData): Promise<void> {
  const { options } = data;
  const model = getModel(options.modelName);
  const { session, choice } = await openSession({ model, options });
  const warmupStarted = performance.now();
  const warmup = makeSample({ model, seed: options.seed, index: 0 });
  for (let i = 0; i < options.warmupIterations; i++)
    await inferOnce({ session, model, data: warmup.data });
  const info: WorkerInfo = { choice, ortVersion, warmupMs: performance.now() - warmupStarted };
  parentPort!.postMessage({ kind: 'info', info });
  const v = slotViews(data.sab, data.layout);
  // onnxruntime-node refuses tensors over shared memory: copy the input out of the slot.
  const input =
    v.input instanceof BigInt64Array
      ? new BigInt64Array(v.input.length)
      : new Float32Array(v.input.length);
  let seen = 0;
  for (;;) {
    const spinUntil = performance.now() + idleSpinMs;
    while (Atomics.load(v.ctrl, ctrl.requestSeq) === seen && performance.now() < spinUntil) {}
    Atomics.wait(v.ctrl, ctrl.requestSeq, seen);
    seen = Atomics.load(v.ctrl, ctrl.requestSeq);
    if (Atomics.load(v.ctrl, ctrl.stop) === 1) break;
    input.set(v.input as Float32Array & BigInt64Array);
    try {
      writeReply(v, await inferOnce({ session, model, data: input }));
    } catch (error) {
      writeError(v, error);
    }
    Atomics.store(v.ctrl, ctrl.replySeq, seen);
    Atomics.notify(v.ctrl, ctrl.replySeq);
  }
  await session.release();
}

serve(workerData as WorkerData).catch((error: unknown) => {
  parentPort!.postMessage({ kind: 'error', message: String((error as Error)?.stack ?? error) });
});
