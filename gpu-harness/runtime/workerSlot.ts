import { Worker } from 'node:worker_threads';
import type { RuntimeOptions } from './sessionOptions.ts';
import { ctrl, type SlotLayout, type SlotViews, slotViews } from './slotLayout.ts';
import type { WorkerData } from './worker.ts';
import type { WorkerInferReply, WorkerInfo } from './workerProtocol.ts';

/** The main thread's end of one worker: writes a query into shared memory, awaits the reply. */
export type WorkerSlot = {
  info: WorkerInfo;
  run: (data: Float32Array | BigInt64Array) => Promise<WorkerInferReply>;
  close: () => Promise<void>;
};

const latin1 = new TextDecoder('latin1');
// Atomics.waitAsync is in Node ≥ 16 but only in TypeScript's ES2024 lib.
type WaitAsync = (
  ta: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
const utf8 = new TextDecoder();

function readReply(v: SlotViews, isText: boolean): WorkerInferReply {
  if (v.ctrl[ctrl.status] !== 0) {
    throw new Error(`inference worker: ${utf8.decode(v.error.slice(0, v.ctrl[ctrl.errorBytes]!))}`);
  }
  const n = v.ctrl[ctrl.valueCount]!;
  const dims = Array.from(v.ctrl.subarray(ctrl.dims, ctrl.dims + v.ctrl[ctrl.dimCount]!));
  return {
    values: isText
      ? Array.from(v.values.subarray(0, n))
      : Float32Array.from(v.values.subarray(0, n)),
    dims,
    runMs: v.meta[2]!,
    tokenTimesMs: Array.from(v.tokenTimes.subarray(0, v.ctrl[ctrl.tokenTimeCount]!)),
    outputDigest: latin1.decode(v.digest),
    startedAtEpochMs: v.meta[0]!,
    finishedAtEpochMs: v.meta[1]!,
  };
}

/** Starts a worker and resolves once its session is open and warm (rejects if it fails to start). */
export async function startWorkerSlot(p: {
  options: RuntimeOptions;
  layout: SlotLayout;
  isText: boolean;
}): Promise<WorkerSlot> {
  const sab = new SharedArrayBuffer(p.layout.bytes);
  const v = slotViews(sab, p.layout);
  const workerData: WorkerData = { options: p.options, sab, layout: p.layout };
  const worker = new Worker(new URL('./workerEntry.mjs', import.meta.url), { workerData });
  let seq = 0;
  let dead: Error | null = null;
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
    // Wake a caller waiting for a reply that will never come.
    v.ctrl[ctrl.status] = 1;
    Atomics.store(v.ctrl, ctrl.replySeq, seq);
    Atomics.notify(v.ctrl, ctrl.replySeq);
  };
  worker.on('error', die);
  worker.on('exit', (code) => die(new Error(`inference worker exited (code ${code})`)));
  return {
    info,
    async run(data) {
      if (dead) throw dead;
      v.input.set(data as Float32Array & BigInt64Array);
      const mine = ++seq;
      Atomics.store(v.ctrl, ctrl.requestSeq, mine);
      Atomics.notify(v.ctrl, ctrl.requestSeq);
      for (;;) {
        const current = Atomics.load(v.ctrl, ctrl.replySeq);
        if (current === mine) break;
        const w = waitAsync(v.ctrl, ctrl.replySeq, current);
        if (w.async) await w.value;
      }
      if (dead) throw dead;
      return readReply(v, p.isText);
    },
    async close() {
      worker.removeAllListeners('exit');
      worker.removeAllListeners('error');
      worker.on('error', () => {});
      Atomics.store(v.ctrl, ctrl.stop, 1);
      Atomics.store(v.ctrl, ctrl.requestSeq, ++seq);
      Atomics.notify(v.ctrl, ctrl.requestSeq);
      await worker.terminate();
    },
  };
}
