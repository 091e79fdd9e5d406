import type { TensorElement } from './onnxBuilder.ts';

/** A graph input or output: name, element type and static dims. */
export type TensorSpec = { name: string; element: TensorElement; dims: number[] };

/**
 * How float outputs are compared by verifiers (see quantisedDigest.ts). `float32-round`
 * rounds each value's float32 mantissa to `mantissaBits` bits and flushes |x| < zeroBelowAbs
 * to +0 before hashing; `exact` hashes the values as they are (token ids).
 */
export type OutputTolerance =
  | { scheme: 'float32-round'; mantissaBits: number; zeroBelowAbs: number }
  | { scheme: 'exact' };

/** Compute-unit price of one unit of work: a whole request, or one generated token. */
export type CuCost = { per: 'request' | 'token'; cu: number };

/** Autoregressive decoding limits of a text model (greedy, one session run per token). */
export type TextGenSpec = {
  vocabSize: number;
  contextMax: number;
  promptTokens: number;
  newTokensMax: number;
};

/** Everything the harness needs to know about a zoo model, without its bytes. */
export type ModelSpec = {
  name: string;
  description: string;
  weightSeed: number;
  input: TensorSpec;
  output: TensorSpec;
  cost: CuCost;
  multiplyAccumulatesPerRun: number;
  tolerance: OutputTolerance;
  textGen?: TextGenSpec;
  build: () => Uint8Array;
};

/** One CU is 100k multiply-accumulates, rounded up: the price follows the work. */
export function cuFromMacs(multiplyAccumulates: number): number {
  return Math.ceil(multiplyAccumulates / 100_000);
}
