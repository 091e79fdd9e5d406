import {
  findChainBreak,
  type Hex,
  ONE_WORKER_GENESIS,
  oneWorkerLinkHash,
  ZERO_HASH,
} from '../../protocol/index.ts';
import type { ReceiptJson, ReceiptLine } from '../receipts/receiptLine.ts';
import type { VerifyFailure } from './verifyFailure.ts';

export type CheckChainsParameters = {
  lines: readonly ReceiptLine[];
  /** Recomputes a receipt's EIP-712 digest (never trusts the one written in the line). */
  digestOf: (receipt: ReceiptJson) => Hex;
};

/**
 * Both hash chains, from recomputed links: EIP-712 (`prev` = previous digest, zero at genesis,
 * sequence = jobId) and the worker format (`prev` = previous linkHash, "" at genesis, sequence =
 * the line's seq). Returns the earliest break of either, or null.
 */
export function checkChains({ lines, digestOf }: CheckChainsParameters): VerifyFailure | null {
  const eip = findChainBreak({
    prevs: lines.map((l) => l.eip712.receipt.prev),
    links: lines.map((l) => digestOf(l.eip712.receipt)),
    genesis: ZERO_HASH,
    seqs: lines.map((l) => l.eip712.receipt.jobId),
  });
  const one = findChainBreak({
    prevs: lines.map((l) => l.one.prev),
    links: lines.map((l) => oneWorkerLinkHash(l.one)),
    genesis: ONE_WORKER_GENESIS,
    seqs: lines.map((l) => l.seq),
  });
  const found: VerifyFailure[] = [];
  if (eip) found.push({ index: eip.index, kind: eip.kind, encoding: 'eip712', reason: eip.reason });
  if (one) found.push({ index: one.index, kind: one.kind, encoding: 'one', reason: one.reason });
  if (found.length === 0) return null;
  return found.reduce((a, b) => (b.index < a.index ? b : a));
}
