import {
  type Address,
  defaultReceiptDomain,
  type ReceiptDomain,
  secp256k1NativeAvailable,
} from '../../protocol/index.ts';
import type { ReceiptLine } from '../receipts/receiptLine.ts';
import { checkChains } from './checkChains.ts';
import { createLineChecker } from './checkLine.ts';
import { resolveLineModels } from './lineModels.ts';
import { reexecuteSample } from './reexecuteSample.ts';
import { firstFailure, type VerifyFailure } from './verifyFailure.ts';

export type VerifyReceiptsParameters = {
  lines: readonly ReceiptLine[];
  /** Probability of re-executing each receipt (0..1). */
  sampleRate: number;
  /** Seed of the sample choice. */
  seed: number;
  domain?: ReceiptDomain;
  backend?: 'native' | 'noble';
  /** The worker the receipts must come from (EIP-712 address); default: whoever signed the first. */
  expectedWorker?: Address;
  /** The operator's model file, when it moved since the run (default: the path each line records). */
  modelFile?: string;
  signal?: AbortSignal;
};

export type VerifyReceiptsReturnType = {
  ok: boolean;
  receipts: number;
  /** Receipts signed one by one, and receipts proven by a batch root (with the batch count). */
  signing: { single: number; batched: number; batches: number };
  backend: 'native' | 'noble';
  /** Indices chosen for re-execution, and how many ran before the verdict was known. */
  sampled: number[];
  reexecuted: number;
  /** The earliest failure of any kind, or null. */
  failure: VerifyFailure | null;
  /** Lines that failed a per-line check (signatures, digests, model), at most the first 100. */
  lineFailures: VerifyFailure[];
};

const lineFailuresMax = 100;

/**
 * Checks every receipt (model hash against the zoo, request and result digests against the
 * recorded input and output, both signatures or the batch proof and batch signature), both
 * hash chains, then re-executes a seeded sample. The verdict names the earliest bad index.
 */
export async function verifyReceipts(
  p: VerifyReceiptsParameters,
): Promise<VerifyReceiptsReturnType> {
  if (!(p.sampleRate >= 0 && p.sampleRate <= 1))
    throw new RangeError(`sampleRate: expected 0..1, got ${p.sampleRate}`);
  const backend = p.backend === 'noble' || !secp256k1NativeAvailable ? 'noble' : 'native';
  const first = p.lines[0]!;
  const models = await resolveLineModels({
    lines: p.lines,
    ...(p.modelFile ? { modelFile: p.modelFile } : {}),
  });
  const checker = createLineChecker({
    models,
    domain: p.domain ?? defaultReceiptDomain,
    backend,
    workers: { eip712: p.expectedWorker ?? first.eip712.receipt.worker, one: first.one.worker },
  });
  const lineFailures: VerifyFailure[] = [];
  let failingLines = 0;
  for (let i = 0; i < p.lines.length; i++) {
    const f = checker.check(p.lines[i]!, i);
    if (!f) continue;
    failingLines++;
    if (lineFailures.length < lineFailuresMax) lineFailures.push(f);
  }
  const chain = checkChains({ lines: p.lines, digestOf: checker.digestOf });
  const known = firstFailure([...lineFailures, ...(chain ? [chain] : [])]);
  // Re-executing past a known failure cannot move the verdict earlier.
  const before = known === null ? p.lines : p.lines.slice(0, known.index);
  const reexec = await reexecuteSample({
    lines: before,
    models,
    rate: p.sampleRate,
    seed: p.seed,
    signal: p.signal,
  });
  const failure = firstFailure([
    ...(known ? [known] : []),
    ...(reexec.failure ? [reexec.failure] : []),
  ]);
  const batched = p.lines.filter((l) => l.eip712.batch !== undefined);
  return {
    ok: failure === null && failingLines === 0,
    receipts: p.lines.length,
    signing: {
      single: p.lines.length - batched.length,
      batched: batched.length,
      batches: new Set(batched.map((l) => l.eip712.batch!.root)).size,
    },
    backend,
    sampled: reexec.sampled,
    reexecuted: reexec.failure
      ? reexec.sampled.indexOf(reexec.failure.index) + 1
      : reexec.sampled.length,
    failure,
    lineFailures,
  };
}
