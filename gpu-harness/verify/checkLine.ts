import {
  type Address,
  createReceiptHasher,
  type Hex,
  oneWorkerLinkHash,
  type Receipt,
  type ReceiptDomain,
  recoverAddress,
  verifyOneWorkerReceipt,
} from '../../protocol/index.ts';
import type { LoadedModel } from '../models/loadedModel.ts';
import { quantisedDigest } from '../models/quantisedDigest.ts';
import { makeSample, type Sample } from '../models/sampleInputs.ts';
import { recoverBatchSigner, verifyBatchInclusion } from '../receipts/receiptBatch.ts';
import { requestHashOf, resultHashOf } from '../receipts/receiptDocuments.ts';
import type { ReceiptJson, ReceiptLine } from '../receipts/receiptLine.ts';
import { type LineModels, lineModelKey } from './lineModels.ts';
import type { VerifyFailure } from './verifyFailure.ts';

export type LineChecker = {
  /** The first thing wrong with the line at `index`, or null. */
  check: (line: ReceiptLine, index: number) => VerifyFailure | null;
  /** The EIP-712 digest recomputed from the receipt's fields (the chain link). */
  digestOf: (receipt: ReceiptJson) => Hex;
};

export type CreateLineCheckerParameters = {
  domain: ReceiptDomain;
  backend: 'native' | 'noble';
  /** The chain's workers (taken from the first line). */
  workers: { eip712: Address; one: string };
  /** Every model the lines name, opened (resolveLineModels). */
  models: LineModels;
};

export const fromJson = (r: ReceiptJson): Receipt => ({
  ...r,
  units: BigInt(r.units),
  price: BigInt(r.price),
});
const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);
const samplesCachedMax = 4096;

/** Checks one line against itself, the zoo and the signatures (in that order); no re-execution. */
export function createLineChecker(p: CreateLineCheckerParameters): LineChecker {
  const hasher = createReceiptHasher(p.domain);
  // The line check and the chain check both need each digest; hashing is the costly part.
  const digests = new WeakMap<ReceiptJson, Hex>();
  const digestOf = (r: ReceiptJson): Hex => {
    let d = digests.get(r);
    if (d === undefined) {
      d = `0x${Buffer.from(hasher(fromJson(r))).toString('hex')}`;
      digests.set(r, d);
    }
    return d;
  };
  const samples = new Map<string, Sample>();
  const batchSigners = new Map<string, Address | null>();
  const sampleOf = (model: LoadedModel, seed: number, index: number) => {
    const key = `${model.id}/${seed}/${index}`;
    let s = samples.get(key);
    if (!s) {
      if (samples.size >= samplesCachedMax) samples.clear();
      s = makeSample({ model, seed, index });
      samples.set(key, s);
    }
    return s;
  };

  const check = (line: ReceiptLine, index: number): VerifyFailure | null => {
    const found = p.models.get(lineModelKey(line));
    const model = found && !('problem' in found) ? found : null;
    const problem =
      (model === null
        ? problemOf(
            'model-hash',
            'line',
            found && 'problem' in found ? found.problem : 'model not resolved',
          )
        : null) ??
      checkModel(line, model!) ??
      checkRequest(line, model!, sampleOf) ??
      checkOutput(line, model!) ??
      checkIdentity({ line, digest: digestOf(line.eip712.receipt), workers: p.workers }) ??
      checkEip712Signature({ line, digest: digestOf(line.eip712.receipt), ...p, batchSigners }) ??
      (verifyOneWorkerReceipt(line.one)
        ? null
        : problemOf('signature', 'one', 'ed25519 signature does not verify under the worker key'));
    return problem && { index, ...problem };
  };
  return { check, digestOf };
}

type Problem = Omit<VerifyFailure, 'index'>;
const problemOf = (
  kind: Problem['kind'],
  encoding: Problem['encoding'],
  reason: string,
): Problem => ({
  kind,
  encoding,
  reason,
});

/** All three model fields are the sha256 of the model's bytes (the zoo's, or the reopened file's). */
function checkModel(line: ReceiptLine, model: LoadedModel): Problem | null {
  const name = line.model.name;
  if (line.model.id !== model.id)
    return problemOf(
      'model-hash',
      'line',
      `model id ${line.model.id} is not the sha256 of ${name}'s bytes (${model.id})`,
    );
  if (line.eip712.receipt.model !== model.idBytes32)
    return problemOf(
      'model-hash',
      'eip712',
      `receipt model ${line.eip712.receipt.model} ≠ ${model.idBytes32}`,
    );
  if (line.one.model !== model.id)
    return problemOf('model-hash', 'one', `receipt model ${line.one.model} ≠ ${model.id}`);
  return null;
}

/** The input regenerates from (seed, sample index) to the recorded digest; both requestHashes bind it. */
function checkRequest(
  line: ReceiptLine,
  model: LoadedModel,
  sampleOf: (m: LoadedModel, seed: number, i: number) => Sample,
): Problem | null {
  const { seed, sampleIndex, digest } = line.input;
  const sample = sampleOf(model, seed, sampleIndex);
  if (!same(line.input.dims, model.input.dims) || sample.inputDigest !== digest)
    return problemOf(
      'request-digest',
      'line',
      `input (seed ${seed}, sample ${sampleIndex}) regenerates to digest ${sample.inputDigest}, line says ${digest}`,
    );
  const requestHash = requestHashOf({
    modelId: model.id,
    inputDims: model.input.dims,
    inputDigest: sample.inputDigest,
  });
  if (line.one.requestHash !== requestHash)
    return problemOf(
      'request-digest',
      'one',
      `requestHash ${line.one.requestHash} ≠ ${requestHash}`,
    );
  if (line.eip712.receipt.requestHash !== `0x${requestHash}`)
    return problemOf(
      'request-digest',
      'eip712',
      `requestHash ${line.eip712.receipt.requestHash} ≠ 0x${requestHash}`,
    );
  return null;
}

/** The recorded values hash to the recorded output digest; both result hashes bind it; units match. */
function checkOutput(line: ReceiptLine, model: LoadedModel): Problem | null {
  const e = line.eip712.receipt;
  const { dims, values, digest } = line.output;
  if (!model.textGen && !same(dims, model.output.dims))
    return problemOf('output-digest', 'line', `output dims [${dims}] ≠ [${model.output.dims}]`);
  const floats = model.output.element === 'float32' || model.output.element === 'float64';
  const data = model.textGen || !floats ? values : Float32Array.from(values);
  const outputDigest = quantisedDigest({ values: data, dims, tolerance: model.tolerance });
  if (outputDigest !== digest)
    return problemOf(
      'output-digest',
      'line',
      `output values hash to ${outputDigest}, line says ${digest}`,
    );
  const resultHash = resultHashOf({
    outputDims: dims,
    outputDigest,
    toleranceScheme: model.tolerance.scheme,
  });
  if (line.one.outputDigest !== resultHash)
    return problemOf(
      'result-digest',
      'one',
      `outputDigest ${line.one.outputDigest} ≠ ${resultHash}`,
    );
  if (e.resultHash !== `0x${resultHash}`)
    return problemOf('result-digest', 'eip712', `resultHash ${e.resultHash} ≠ 0x${resultHash}`);
  const tokens = model.textGen ? values.length : 1;
  if (line.units.cu !== model.cost.cu * tokens || e.units !== String(line.units.cu))
    return problemOf(
      'units',
      'eip712',
      `units ${e.units} (line ${line.units.cu}) ≠ ${model.cost.cu} CU × ${tokens}`,
    );
  return null;
}

/** The written ids match the recomputed ones and both workers are the chain's. */
function checkIdentity(p: {
  line: ReceiptLine;
  digest: Hex;
  workers: { eip712: Address; one: string };
}): Problem | null {
  const { line, digest, workers } = p;
  if (digest !== line.eip712.digest)
    return problemOf('receipt-id', 'eip712', `digest ${line.eip712.digest} ≠ recomputed ${digest}`);
  const link = oneWorkerLinkHash(line.one);
  if (link !== line.one.linkHash)
    return problemOf('receipt-id', 'one', `linkHash ${line.one.linkHash} ≠ recomputed ${link}`);
  const worker = line.eip712.receipt.worker;
  if (worker.toLowerCase() !== workers.eip712.toLowerCase())
    return problemOf('worker', 'eip712', `worker ${worker} ≠ the chain's worker ${workers.eip712}`);
  if (line.one.worker !== workers.one)
    return problemOf('worker', 'one', "worker key differs from the chain's first receipt");
  return null;
}

function checkEip712Signature(
  p: CreateLineCheckerParameters & {
    line: ReceiptLine;
    digest: Hex;
    batchSigners: Map<string, Address | null>;
  },
): Problem | null {
  const { line, digest } = p;
  const worker = line.eip712.receipt.worker.toLowerCase();
  const batch = line.eip712.batch;
  if (!batch) {
    const signer = recoverAddress(
      Buffer.from(digest.slice(2), 'hex'),
      line.eip712.signature!,
      p.backend,
    );
    return signer === worker
      ? null
      : problemOf(
          'signature',
          'eip712',
          `ecrecover gives ${signer ?? 'nothing'}, not the worker ${worker}`,
        );
  }
  if (batch.index >= batch.size || !verifyBatchInclusion({ digest, batch }))
    return problemOf(
      'batch-proof',
      'eip712',
      `receipt digest is not leaf ${batch.index} of batch root ${batch.root}`,
    );
  const key = `${batch.root}/${batch.size}/${batch.signature}`;
  let signer = p.batchSigners.get(key);
  if (signer === undefined) {
    signer = recoverBatchSigner({ domain: p.domain, batch, backend: p.backend });
    p.batchSigners.set(key, signer);
  }
  return signer === worker
    ? null
    : problemOf(
        'batch-signature',
        'eip712',
        `batch root signature recovers ${signer ?? 'nothing'}, not the worker ${worker}`,
      );
}
