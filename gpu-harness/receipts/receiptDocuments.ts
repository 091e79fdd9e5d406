import { digestJson } from '../../protocol/index.ts';
import type { ZooModel } from '../models/registry.ts';
import type { InferenceResult } from '../runtime/inferenceResult.ts';

/**
 * What a receipt's requestHash and resultHash bind, as JSON documents hashed the worker-format
 * way (sha256 hex of canonical JSON). The EIP-712 receipt carries the same two digests as
 * bytes32, so both encodings bind one request and one result. The input tensor is bound by its
 * digest (sha256 of its bytes, see tensorDigest), the output by its quantised digest.
 */
export type RequestDocument = {
  schema: 'onesim-request/v1';
  /** sha256 hex of the model bytes. */
  model: string;
  input: { dims: number[]; digest: string };
};

export type ResultDocument = {
  schema: 'onesim-result/v1';
  output: { dims: number[]; digest: string; tolerance: string };
};

export type RequestHashParameters = { modelId: string; inputDims: number[]; inputDigest: string };

export function requestHashOf(p: RequestHashParameters): string {
  const doc: RequestDocument = {
    schema: 'onesim-request/v1',
    model: p.modelId,
    input: { dims: p.inputDims, digest: p.inputDigest },
  };
  return digestJson(doc);
}

export type ResultHashParameters = {
  outputDims: number[];
  /** The quantised output digest (quantisedDigest.ts). */
  outputDigest: string;
  toleranceScheme: string;
};

export function resultHashOf(p: ResultHashParameters): string {
  const doc: ResultDocument = {
    schema: 'onesim-result/v1',
    output: { dims: p.outputDims, digest: p.outputDigest, tolerance: p.toleranceScheme },
  };
  return digestJson(doc);
}

/** Both digests of one inference, as the receipts carry them (hex without 0x). */
export function inferenceHashesOf(
  model: ZooModel,
  r: InferenceResult,
): { requestHash: string; resultHash: string } {
  return {
    requestHash: requestHashOf({
      modelId: model.id,
      inputDims: model.input.dims,
      inputDigest: r.inputDigest,
    }),
    resultHash: resultHashOf({
      outputDims: r.output.dims,
      outputDigest: r.outputDigest,
      toleranceScheme: model.tolerance.scheme,
    }),
  };
}
