import { Worker } from 'node:worker_threads';
import type { LoadedModel } from '../models/loadedModel.ts';
import { copyTensor, type TensorData } from '../models/tensorData.ts';
import type { ModelRun } from './runModel.ts';
import type { RuntimeOptions } from './sessionOptions.ts';
import {
  type CellViews,
  cellCtrl,
  head,
  type SlotLayout,
  seqAtOrAfter,
  slotViews,
} from './slotLayout.ts';
import type { WorkerData } from './worker.ts';
import type { WorkerInfo } from './workerProtocol.ts';

/**
 * The main thread's end of one worker: writes queries into the slot's cells (at most
 * `layout.depth` in flight) and resolves them in order as the worker answers.
 */
export type WorkerSlot = {
  info: WorkerInfo;
  /** Queries written and not yet answered. */
  inFlight: () => number;
  /** Throws when `inFlight() === layout.depth`: the caller keeps its own queue. */
  run: (inputs: readonly TensorData[]) => Promise<ModelRun>;
  close: () => Promise<void>;
};

// Atomics.waitAsync is in Node ≥ 16 but only in TypeScript's ES2024 lib.
type WaitAsync = (
  ta: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
const utf8 = new TextDecoder();
/** How long a closing worker may take to release its session before it is terminated. */
const closeGraceMs = 5_000;

function readReply(c: CellViews, isText: boolean): ModelRun {
  if (c.ctrl[cellCtrl.status] !== 0) {
    throw new Error(
      `inference worker: ${utf8.decode(c.error.slice(0, c.ctrl[cellCtrl.errorBytes]!))}`,
    );
  }
  const n = c.ctrl[cellCtrl.valueCount]!;
  const dims = Array.from(
    c.ctrl.subarray(cellCtrl.dims, cellCtrl.dims + c.ctrl[cellCtrl.dimCount]!),
  );
  return {
    values: isText
      ? Array.from(c.values.subarray(0, n))
      : Float32Array.from(c.values.subarray(0, n)),
    dims,
    runMs: c.meta[2]!,
    tokenTimesMs: Array.from(c.tokenTimes.subarray(0, c.ctrl[cellCtrl.tokenTimeCount]!)),
    startedAtEpochMs: c.meta[0]!,
    finishedAtEpochMs: c.meta[1]!,
  };
}

type Pending = {
  seq: number;
  cell: CellViews;
  resolve: (r: ModelRun) => void;
  reject: (e: unknown) => void;
};

/** Starts a worker and resolves once its session is open and warm (rejects if it fails to start). */
export async function startWorkerSlot(p: {
  options: RuntimeOptions;
  model: LoadedModel;
  layout: SlotLayout;
  isText: boolean;
}): Promise<WorkerSlot> {
  const sab = new SharedArrayBuffer(p.layout.bytes);
  const v = slotViews(sab, p.layout);
  const workerData: WorkerData = { options: p.options, model: p.model, sab, layout: p.layout };
  const worker = new Worker(new URL('./workerEntry.mjs', import.meta.url), { workerData });
  let seq = 0;
  let cellNext = 0;
  let dead: Error | null = null;
  const pending: Pending[] = [];
  let pumping = false;

  /** Resolves answered queries in seq order; one waiter per slot, however many are in flight. */
  const pump = async () => {
    pumping = true;
    while (pending.length > 0) {
      const current = Atomics.load(v.head, head.replySeq);
      while (pending.length > 0 && (dead || seqAtOrAfter(current, pending[0]!.seq))) {
        const q = pending.shift()!;
        if (dead) q.reject(dead);
        else {
          try {
            q.resolve(readReply(q.cell, p.isText));
          } catch (error) {
            q.reject(error);
          }
        }
      }
      if (pending.length === 0) break;
      const w = waitAsync(v.head, head.replySeq, current);
      if (w.async) await w.value;
    }
    pumping = false;
  };

  const info = await new Promise<WorkerInfo>((resolve, reject) => {
    worker.once(
      'message',
      (m: { kind: 'info'; info: WorkerInfo } | { kind: 'error'; message: string }) =>
        m.kind === 'info'
          ? resolve(m.info)
          : reject(new Error(`inference worker failed to start: ${m.message}`)),
    );
    worker.once('error', reject);
  });
  const die = (error: Error) => {
    dead ??= error;
    // Wake the waiter for replies that will never come.
    Atomics.add(v.head, head.replySeq, 1);
    Atomics.notify(v.head, head.replySeq);
  };
  worker.on('error', die);
  worker.on('exit', (code) => die(new Error(`inference worker exited (code ${code})`)));
  return {
    info,
    inFlight: () => pending.length,
    run(inputs) {
      if (dead) return Promise.reject(dead);
      if (pending.length >= p.layout.depth) {
        return Promise.reject(
          new Error(`worker slot: ${p.layout.depth} queries already in flight`),
        );
      }
      const cell = v.cells[cellNext]!;
      cellNext = (cellNext + 1) % p.layout.depth;
      for (let i = 0; i < inputs.length; i++) copyTensor(cell.inputs[i]!, inputs[i]!);
      seq = (seq + 1) | 0;
      const mine = seq;
      Atomics.store(v.head, head.requestSeq, mine);
      Atomics.notify(v.head, head.requestSeq);
      return new Promise<ModelRun>((resolve, reject) => {
        pending.push({ seq: mine, cell, resolve, reject });
        if (!pumping) void pump();
      });
    },
    async close() {
      worker.removeAllListeners('exit');
      worker.removeAllListeners('error');
      worker.on('error', () => {});
      if (dead) return;
      // Ask the worker to release its session and end by itself: terminating a thread while
      // onnxruntime's native session is being released aborts the whole process (Napi::Error).
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      Atomics.store(v.head, head.stop, 1);
      Atomics.store(v.head, head.requestSeq, (seq + 1) | 0);
      Atomics.notify(v.head, head.requestSeq);
      const timer = setTimeout(() => void worker.terminate(), closeGraceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
