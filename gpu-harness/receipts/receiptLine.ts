import { z } from 'zod';
import type { Hex, OneWorkerReceipt } from '../../protocol/index.ts';
import type { InferenceTimings } from '../runtime/inferenceResult.ts';
import type { BatchProof } from './receiptBatch.ts';

/** An EIP-712 receipt as JSON: bigints as decimal strings, everything else as in `Receipt`. */
export type ReceiptJson = {
  jobId: number;
  lane: 0 | 1;
  requester: Hex;
  model: Hex;
  worker: Hex;
  requestHash: Hex;
  resultHash: Hex;
  units: string;
  price: string;
  finishedAt: number;
  prev: Hex;
};

/**
 * One line of receipts.jsonl: one inference, both receipts, and what a verifier needs to check
 * them without trusting the worker: how to regenerate the input (seed and sample index), the
 * output values, and timings. `eip712.signature` (per receipt) or `eip712.batch` (batch mode).
 */
/** How a verifier re-opens an operator's model file: where it was, how it ran, what it cost. */
export type ReceiptModelFile = {
  path: string;
  shapes: Record<string, number[]>;
  output: string;
  inputsFile: { path: string; sha256: string } | null;
  cu: number;
};

export type ReceiptLine = {
  schema: 'onesim/receipt/v1';
  seq: number;
  /** `file` only for an operator's own model (absent: a zoo model, by name). */
  model: { name: string; id: string; file?: ReceiptModelFile };
  input: { seed: number; sampleIndex: number; dims: number[]; digest: string };
  output: { dims: number[]; values: number[]; digest: string };
  units: { cu: number; generatedTokens: number | null };
  timings: InferenceTimings;
  eip712: { receipt: ReceiptJson; digest: Hex; signature?: Hex; batch?: BatchProof };
  one: OneWorkerReceipt & { linkHash: string };
};

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'expected 0x + 64 lower-case hex digits');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x address');
const signature = z.string().regex(/^0x[0-9a-f]{130}$/, 'expected a 65-byte 0x signature');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits');
const uint = z.number().int().nonnegative();
const decimal = z.string().regex(/^\d{1,20}$/, 'expected a decimal integer string');
const dims = z.array(uint).max(8);
const ms = z.number().finite();

const batch = z.object({
  index: uint,
  size: uint.min(1),
  root: hex32,
  proof: z.array(hex32).max(64),
  signature,
});

export const receiptLineSchema = z.object({
  schema: z.literal('onesim/receipt/v1'),
  seq: uint,
  model: z.object({
    name: z.string().min(1).max(100),
    id: sha256,
    file: z
      .object({
        path: z.string().min(1).max(4096),
        shapes: z.record(z.string(), dims),
        output: z.string().min(1).max(1000),
        inputsFile: z.object({ path: z.string().min(1).max(4096), sha256 }).nullable(),
        cu: uint.min(1),
      })
      .optional(),
  }),
  input: z.object({ seed: uint, sampleIndex: uint, dims, digest: sha256 }),
  output: z.object({ dims, values: z.array(z.number().finite()).max(1_000_000), digest: sha256 }),
  units: z.object({ cu: uint, generatedTokens: uint.nullable() }),
  timings: z.object({
    issuedAtEpochMs: ms,
    startedAtEpochMs: ms,
    finishedAtEpochMs: ms,
    queueMs: ms,
    runMs: ms,
    latencyMs: ms,
    firstTokenMs: ms.nullable(),
    timePerOutputTokenMs: ms.nullable(),
  }),
  eip712: z
    .object({
      receipt: z.object({
        jobId: uint,
        lane: z.union([z.literal(0), z.literal(1)]),
        requester: address,
        model: hex32,
        worker: address,
        requestHash: hex32,
        resultHash: hex32,
        units: decimal,
        price: decimal,
        finishedAt: uint,
        prev: hex32,
      }),
      digest: hex32,
      signature: signature.optional(),
      batch: batch.optional(),
    })
    .refine((e) => (e.signature === undefined) !== (e.batch === undefined), {
      message: 'expected exactly one of signature and batch',
      path: ['signature'],
    }),
  one: z.object({
    prev: z.string().max(64),
    requestHash: z.string().max(64),
    model: z.string().max(64),
    worker: z.string().max(200),
    outputDigest: z.string().max(64),
    sig: z.string().max(200),
    linkHash: sha256,
  }),
});
