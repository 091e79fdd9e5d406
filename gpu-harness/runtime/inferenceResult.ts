import type { OutputTolerance } from '../models/modelSpec.ts';
import type { ExecutionProvider } from './providers.ts';

/**
 * One inference, with everything a receipt will bind: which model (sha256 of its bytes),
 * which input (digest of the tensor), what came out (values and the tolerance-aware digest),
 * what it cost (CU), where it ran and how long it took.
 */
export type InferenceResult = {
  /** sha256 hex of the model bytes: the receipt's `model` field. */
  model: string;
  modelName: string;
  sampleIndex: number;
  inputDigest: string;
  /** Classifier: the output tensor; text model: generated token ids (dims = [count]). */
  output: { dims: number[]; values: number[] };
  outputDigest: string;
  tolerance: OutputTolerance;
  units: { cu: number; generatedTokens: number | null };
  provider: ExecutionProvider;
  ortVersion: string;
  timings: InferenceTimings;
};

export type InferenceTimings = {
  issuedAtEpochMs: number;
  startedAtEpochMs: number;
  finishedAtEpochMs: number;
  /** Waiting for a free worker (includes message passing). */
  queueMs: number;
  /** Inside onnxruntime (all decoding steps for a text model). */
  runMs: number;
  /** issued → result back on the main thread. */
  latencyMs: number;
  /** Text models: issued → first token. */
  firstTokenMs: number | null;
  /** Text models: mean gap between later tokens. */
  timePerOutputTokenMs: number | null;
};
