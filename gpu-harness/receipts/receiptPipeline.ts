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

/**
 * Signs receipts off the load generator's critical path: results queue up and are signed in a
 * setImmediate callback, i.e. while the workers run the next queries, in completion order.
 */
export function createReceiptPipeline(issuer: ReceiptIssuer): ReceiptPipeline {
  let pending: InferenceResult[] = [];
  let scheduled = false;
  let failure: unknown = null;
  const drain = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    try {
      for (const r of batch) issuer.add(r);
    } catch (error) {
      failure ??= error;
    }
  };
  return {
    push(result) {
      if (pending.length >= pendingReceiptsMax) {
        throw new Error(
          `receipts: more than ${pendingReceiptsMax} inferences waiting to be signed`,
        );
      }
      pending.push(result);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    },
    async finish() {
      drain();
      if (failure) throw failure;
      issuer.flush();
    },
  };
}
