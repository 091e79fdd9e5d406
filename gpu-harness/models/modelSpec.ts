import type { TensorElement } from './onnxBuilder.ts';

/**
 * How generated inputs are filled when the default (floats in [-1, 1), integers in {0, 1}) does
 * not fit: integers uniform in [low, high), or one constant.
 */
export type InputFill =
  | { kind: 'integers'; low: number; high: number }
  | { kind: 'constant'; value: number };

/** A graph input or output: name, element type and static dims. */
export type TensorSpec = { name: string; element: TensorElement; dims: number[]; fill?: InputFill };

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

/**
 * The key/value cache of a decoder that keeps one (GPT-2 style): per layer an input
 * `past_key_values.<l>.key|value` [1, heads, past, headDim] and an output `present.<l>.key|value`
 * [1, heads, past + new, headDim]. The prompt runs once (prefill, past = 0), then one token per run.
 */
export type KvCacheSpec = { layers: number; heads: number; headDim: number };

/** Autoregressive decoding limits of a text model (greedy). */
export type TextGenSpec = {
  vocabSize: number;
  contextMax: number;
  promptTokens: number;
  newTokensMax: number;
  /** Absent: each token reruns the whole padded context (input [1, contextMax], logits [1, contextMax, vocab]). */
  kvCache?: KvCacheSpec;
};

/** Everything the harness needs to know about a zoo model, without its bytes. */
export type ModelSpec = {
  name: string;
  description: string;
  weightSeed: number;
  /** The first input (the only one of most models). */
  input: TensorSpec;
  /** Every graph input in feed order; absent means `[input]`. */
  inputs?: TensorSpec[];
  output: TensorSpec;
  cost: CuCost;
  /** Multiply-accumulates of one session run (Conv, ConvTranspose, MatMul, Gemm); text models: the first run. */
  multiplyAccumulatesPerRun: number;
  /**
   * FLOPs of one whole query (all decoding steps of a text model): 2 × the multiply-accumulates
   * of Conv, ConvTranspose, MatMul and Gemm nodes, as countFlops counts them from onnxruntime's
   * own node shapes. Element-wise and data-movement nodes are not counted.
   */
  flopsPerQuery: number;
  /** Weights (parameters) in the graph's initializers. */
  parameterCount: number;
  tolerance: OutputTolerance;
  textGen?: TextGenSpec;
  /** Server p99 bound for a GPU-class device (MLPerf-style); see planBench for slower devices. */
  latencyBoundMs?: number;
  /**
   * sha256 of the bytes the builder must produce. Large models are cached on disk under this
   * name; a build that hashes differently (a changed builder or weight stream) is refused.
   */
  pinnedId?: string;
  build: () => Uint8Array;
};

/** One CU is 100k multiply-accumulates, rounded up: the price follows the work. */
export function cuFromMacs(multiplyAccumulates: number): number {
  return Math.ceil(multiplyAccumulates / 100_000);
}

/** One CU per 100k multiply-accumulates, i.e. per 200k FLOPs as flopsPerQuery counts them. */
export function cuFromFlops(flops: number): number {
  return Math.max(1, Math.ceil(flops / 200_000));
}
