import {
  type Address,
  createOneWorkerSigner,
  createReceiptHasher,
  createSecp256k1Signer,
  defaultReceiptDomain,
  type Hex,
  Lane,
  ONE_WORKER_GENESIS,
  oneWorkerLinkHash,
  type Receipt,
  type ReceiptDomain,
  ZERO_HASH,
} from '../../protocol/index.ts';
import type { ZooModel } from '../models/registry.ts';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import { batchSizeMax, signReceiptBatch } from './receiptBatch.ts';
import { inferenceHashesOf } from './receiptDocuments.ts';
import type { ReceiptKeys } from './receiptKeys.ts';
import type { ReceiptJson, ReceiptLine } from './receiptLine.ts';
import { createDigestSigner } from './signDigest.ts';

export const receiptSignings = ['single', 'batch'] as const;
export type ReceiptSigning = (typeof receiptSignings)[number];

export type CreateReceiptIssuerParameters = {
  keys: ReceiptKeys;
  model: ZooModel;
  /** Seed of the sample library the inputs come from (recorded so verifiers can regenerate them). */
  inputSeed: number;
  signing: ReceiptSigning;
  /** Batch mode: receipts per signed Merkle root. */
  batchSize?: number;
  domain?: ReceiptDomain;
  lane?: Lane;
  requester?: Address;
  priceMicroUsdcPerCu?: bigint;
  /** Receives finished lines in chain order (batch mode: a batch at a time). */
  onLines: (lines: ReceiptLine[]) => void;
};

export type ReceiptIssuer = {
  /** Chains, signs (or queues for the batch) and emits the receipts of one inference. */
  add: (result: InferenceResult) => void;
  /** Signs the open batch, if any. Call once at the end. */
  flush: () => void;
  readonly issued: () => number;
  readonly workers: { eip712: Address; one: string };
};

const toJson = (r: Receipt): ReceiptJson => ({
  ...r,
  lane: r.lane,
  units: r.units.toString(),
  price: r.price.toString(),
});

type ReceiptOfParameters = {
  p: CreateReceiptIssuerParameters;
  r: InferenceResult;
  seq: number;
  prev: Hex;
  worker: Address;
};

/** The EIP-712 receipt of one inference, with the worker-format digests it carries as bytes32. */
function receiptOf({ p, r, seq, prev, worker }: ReceiptOfParameters) {
  const { model } = p;
  const { requestHash, resultHash } = inferenceHashesOf(model, r);
  const receipt: Receipt = {
    jobId: seq,
    lane: p.lane ?? Lane.included,
    requester: p.requester ?? '0x0000000000000000000000000000000000000000',
    model: model.idBytes32,
    worker,
    requestHash: `0x${requestHash}`,
    resultHash: `0x${resultHash}`,
    units: BigInt(r.units.cu),
    price: p.priceMicroUsdcPerCu ?? 0n,
    finishedAt: Math.floor(r.timings.finishedAtEpochMs),
    prev,
  };
  return { receipt, requestHash, resultHash };
}

type LineOfParameters = {
  r: InferenceResult;
  seq: number;
  model: ZooModel;
  inputSeed: number;
  receipt: Receipt;
  digest: Hex;
  one: ReceiptLine['one'];
};

function lineOf({ r, seq, model, inputSeed, receipt, digest, one }: LineOfParameters): ReceiptLine {
  return {
    schema: 'onesim/receipt/v1',
    seq,
    model: {
      name: model.name,
      id: model.id,
      ...(model.source.kind === 'file'
        ? {
            file: {
              path: model.source.path,
              shapes: model.source.shapes,
              output: model.source.output,
              inputsFile: model.source.inputsFile,
              cu: model.cost.cu,
            },
          }
        : {}),
    },
    input: {
      seed: inputSeed,
      sampleIndex: r.sampleIndex,
      dims: model.input.dims,
      digest: r.inputDigest,
    },
    output: { dims: r.output.dims, values: r.output.values, digest: r.outputDigest },
    units: r.units,
    timings: r.timings,
    eip712: { receipt: toJson(receipt), digest },
    one,
  };
}

/**
 * Issues both receipt encodings for a stream of inferences, in completion order: receipt `seq`
 * has jobId `seq`, EIP-712 `prev` = the previous receipt's digest (zero at genesis) and worker
 * `prev` = the previous linkHash ("" at genesis). `finishedAt` is epoch ms (genesis = Unix epoch).
 */
export function createReceiptIssuer(p: CreateReceiptIssuerParameters): ReceiptIssuer {
  const batchSize = p.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > batchSizeMax) {
    throw new RangeError(`batchSize: expected an integer in 1..${batchSizeMax}, got ${batchSize}`);
  }
  const domain = p.domain ?? defaultReceiptDomain;
  const secp = createSecp256k1Signer(p.keys.secp256k1, domain);
  const hasher = createReceiptHasher(domain);
  const signDigest = createDigestSigner(p.keys.secp256k1);
  const ed = createOneWorkerSigner(p.keys.ed25519);
  const { model } = p;
  let seq = 0;
  let prevDigest: Hex = ZERO_HASH;
  let prevLink = ONE_WORKER_GENESIS;
  let open: ReceiptLine[] = [];

  const closeBatch = () => {
    if (open.length === 0) return;
    const digests = open.map((l) => l.eip712.digest);
    const proofs = signReceiptBatch({ digests, privateKey: p.keys.secp256k1, domain });
    for (let i = 0; i < open.length; i++) open[i]!.eip712.batch = proofs[i]!;
    const lines = open;
    open = [];
    p.onLines(lines);
  };

  const add = (r: InferenceResult) => {
    const { receipt, requestHash, resultHash } = receiptOf({
      p,
      r,
      seq,
      prev: prevDigest,
      worker: secp.worker,
    });
    const digestBytes = hasher(receipt);
    const digest = `0x${Buffer.from(digestBytes).toString('hex')}` as Hex;
    const one = ed.sign({ prev: prevLink, requestHash, model: model.id, outputDigest: resultHash });
    const linkHash = oneWorkerLinkHash(one);
    const line = lineOf({
      r,
      seq,
      model,
      inputSeed: p.inputSeed,
      receipt,
      digest,
      one: { ...one, linkHash },
    });
    seq++;
    prevDigest = digest;
    prevLink = linkHash;
    if (p.signing === 'single') {
      line.eip712.signature = signDigest(digestBytes);
      p.onLines([line]);
      return;
    }
    open.push(line);
    if (open.length >= batchSize) closeBatch();
  };

  return {
    add,
    flush: closeBatch,
    issued: () => seq,
    workers: { eip712: secp.worker, one: ed.worker },
  };
}
