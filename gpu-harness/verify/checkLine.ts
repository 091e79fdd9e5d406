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
import { quantisedDigest } from '../models/quantisedDigest.ts';
import { getModel, modelNames, type ZooModel } from '../models/registry.ts';
import { makeSample, type Sample } from '../models/sampleInputs.ts';
import { recoverBatchSigner, verifyBatchInclusion } from '../receipts/receiptBatch.ts';
import { requestHashOf, resultHashOf } from '../receipts/receiptDocuments.ts';
import type { ReceiptJson, ReceiptLine } from '../receipts/receiptLine.ts';
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
};

export const fromJson = (r: ReceiptJson): Receipt => ({
  ...r,
  units: BigInt(r.units),
  price: BigInt(r.price),
});
const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);
const samplesCachedMax = 4096;

/** Checks one line against itself, the zoo and the signatures; no re-execution. */
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
  const sampleOf = (model: ZooModel, seed: number, index: number) => {
    const key = `${model.name}/${seed}/${index}`;
    let s = samples.get(key);
    if (!s) {
      if (samples.size >= samplesCachedMax) samples.clear();
      s = makeSample({ model, seed, index });
      samples.set(key, s);
    }
    return s;
  };

  const check = (line: ReceiptLine, index: number): VerifyFailure | null => {
    const fail = (
      kind: VerifyFailure['kind'],
      encoding: VerifyFailure['encoding'],
      reason: string,
    ) => ({
      index,
      kind,
      encoding,
      reason,
    });
    const e = line.eip712.receipt;
    const one = line.one;
    if (!modelNames().includes(line.model.name))
      return fail(
        'model-hash',
        'line',
        `model ${JSON.stringify(line.model.name)} is not in the zoo`,
      );
    const model = getModel(line.model.name);
    if (line.model.id !== model.id)
      return fail(
        'model-hash',
        'line',
        `model id ${line.model.id} is not the sha256 of ${model.name}'s bytes (${model.id})`,
      );
    if (e.model !== model.idBytes32)
      return fail('model-hash', 'eip712', `receipt model ${e.model} ≠ ${model.idBytes32}`);
    if (one.model !== model.id)
      return fail('model-hash', 'one', `receipt model ${one.model} ≠ ${model.id}`);

    const sample = sampleOf(model, line.input.seed, line.input.sampleIndex);
    if (!same(line.input.dims, model.input.dims) || sample.inputDigest !== line.input.digest)
      return fail(
        'request-digest',
        'line',
        `input (seed ${line.input.seed}, sample ${line.input.sampleIndex}) regenerates to digest ${sample.inputDigest}, line says ${line.input.digest}`,
      );
    const requestHash = requestHashOf({
      modelId: model.id,
      inputDims: model.input.dims,
      inputDigest: sample.inputDigest,
    });
    if (one.requestHash !== requestHash)
      return fail('request-digest', 'one', `requestHash ${one.requestHash} ≠ ${requestHash}`);
    if (e.requestHash !== `0x${requestHash}`)
      return fail('request-digest', 'eip712', `requestHash ${e.requestHash} ≠ 0x${requestHash}`);

    const values = model.textGen ? line.output.values : Float32Array.from(line.output.values);
    if (!model.textGen && !same(line.output.dims, model.output.dims))
      return fail(
        'output-digest',
        'line',
        `output dims [${line.output.dims}] ≠ [${model.output.dims}]`,
      );
    const outputDigest = quantisedDigest({
      values,
      dims: line.output.dims,
      tolerance: model.tolerance,
    });
    if (outputDigest !== line.output.digest)
      return fail(
        'output-digest',
        'line',
        `output values hash to ${outputDigest}, line says ${line.output.digest}`,
      );
    const resultHash = resultHashOf({
      outputDims: line.output.dims,
      outputDigest,
      toleranceScheme: model.tolerance.scheme,
    });
    if (one.outputDigest !== resultHash)
      return fail('result-digest', 'one', `outputDigest ${one.outputDigest} ≠ ${resultHash}`);
    if (e.resultHash !== `0x${resultHash}`)
      return fail('result-digest', 'eip712', `resultHash ${e.resultHash} ≠ 0x${resultHash}`);

    const tokens = model.textGen ? line.output.values.length : 1;
    if (line.units.cu !== model.cost.cu * tokens || e.units !== String(line.units.cu))
      return fail(
        'units',
        'eip712',
        `units ${e.units} (line ${line.units.cu}) ≠ ${model.cost.cu} CU × ${tokens}`,
      );

    const digest = digestOf(e);
    if (digest !== line.eip712.digest)
      return fail('receipt-id', 'eip712', `digest ${line.eip712.digest} ≠ recomputed ${digest}`);
    if (oneWorkerLinkHash(one) !== one.linkHash)
      return fail(
        'receipt-id',
        'one',
        `linkHash ${one.linkHash} ≠ recomputed ${oneWorkerLinkHash(one)}`,
      );
    if (e.worker.toLowerCase() !== p.workers.eip712.toLowerCase())
      return fail(
        'worker',
        'eip712',
        `worker ${e.worker} ≠ the chain's worker ${p.workers.eip712}`,
      );
    if (one.worker !== p.workers.one)
      return fail('worker', 'one', `worker key differs from the chain's first receipt`);
    const sig = checkEip712Signature({ line, digest, ...p, batchSigners });
    if (sig) return fail(sig.kind, 'eip712', sig.reason);
    if (!verifyOneWorkerReceipt(one))
      return fail('signature', 'one', 'ed25519 signature does not verify under the worker key');
    return null;
  };
  return { check, digestOf };
}

function checkEip712Signature(
  p: CreateLineCheckerParameters & {
    line: ReceiptLine;
    digest: Hex;
    batchSigners: Map<string, Address | null>;
  },
): { kind: 'signature' | 'batch-proof' | 'batch-signature'; reason: string } | null {
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
      : {
          kind: 'signature',
          reason: `ecrecover gives ${signer ?? 'nothing'}, not the worker ${worker}`,
        };
  }
  if (batch.index >= batch.size || !verifyBatchInclusion({ digest, batch }))
    return {
      kind: 'batch-proof',
      reason: `receipt digest is not leaf ${batch.index} of batch root ${batch.root}`,
    };
  const key = `${batch.root}/${batch.size}/${batch.signature}`;
  let signer = p.batchSigners.get(key);
  if (signer === undefined) {
    signer = recoverBatchSigner({ domain: p.domain, batch, backend: p.backend });
    p.batchSigners.set(key, signer);
  }
  return signer === worker
    ? null
    : {
        kind: 'batch-signature',
        reason: `batch root signature recovers ${signer ?? 'nothing'}, not the worker ${worker}`,
      };
}
