import type { InferenceResult } from '../runtime/inferenceResult.ts';
import type { ReceiptIssuer } from './createReceiptIssuer.ts';

export type ReceiptPipeline = {
  /** Queues a finished inference; cheap, so the load generator can issue the next query at once. */
  push: (result: InferenceResult) => void;
  /** Signs what is queued, closes the open batch and resolves when all is emitted. */
  finish: () => Promise<void>;
};

/** Queued inferences beyond this mean signing cannot keep up: a loud error, not a growing heap. */
export const pendingReceiptsMax = 1_000_000;

/** Signing yields the thread after this long, so a Server load generator keeps its schedule. */
export const drainSliceMs = 1;

/**
 * Signs receipts off the load generator's critical path: results queue up and are signed in
 * setImmediate callbacks, i.e. while the workers run the next queries, in completion order. Each
 * callback signs for at most `drainSliceMs` and then yields, so a backlog never holds the event
 * loop long enough to delay a scheduled send.
 */
export function createReceiptPipeline(issuer: ReceiptIssuer): ReceiptPipeline {
  let pending: InferenceResult[] = [];
  let head = 0;
  let scheduled = false;
  let failure: unknown = null;
  const signSome = (untilMs: number) => {
    try {
      while (head < pending.length && performance.now() < untilMs) issuer.add(pending[head++]!);
    } catch (error) {
      failure ??= error;
      head = pending.length;
    }
    if (head === pending.length) {
      pending = [];
      head = 0;
    }
  };
  const slice = () => {
    scheduled = false;
    signSome(performance.now() + drainSliceMs);
    if (pending.length > 0) {
      scheduled = true;
      setImmediate(slice);
    }
  };
  const drain = () => signSome(Number.POSITIVE_INFINITY);
  return {
    push(result) {
      if (pending.length - head >= pendingReceiptsMax) {
        throw new Error(
          `receipts: more than ${pendingReceiptsMax} inferences waiting to be signed`,
        );
      }
      pending.push(result);
      if (!scheduled) {
        scheduled = true;
        setImmediate(slice);
      }
    },
    async finish() {
      drain();
      if (failure) throw failure;
      issuer.flush();
    },
  };
}
