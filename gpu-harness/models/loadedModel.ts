import type { ModelSpec, TensorSpec } from './modelSpec.ts';

/** Where a model came from: the zoo, or an operator's own ONNX file (see loadModelFile). */
export type ModelSource =
  | { kind: 'zoo' }
  | {
      kind: 'file';
      /** Absolute path of the .onnx file as it was benchmarked. */
      path: string;
      /** Every input's dims as run (dynamic dims bound with --shape). */
      shapes: Record<string, number[]>;
      /** The graph output that receipts bind. */
      output: string;
      /** Inputs read from a JSON file instead of generated from the seed. */
      inputsFile: { path: string; sha256: string } | null;
      /** CU per request from --cu, or from the graph's FLOP count. */
      cuFrom: 'flag' | 'flops';
    };

/**
 * A model ready to run: its spec (minus the builder), every input, its content address, and
 * its bytes or the file onnxruntime opens. Plain data, so it travels to worker threads as is.
 */
export type LoadedModel = Omit<ModelSpec, 'build' | 'inputs'> & {
  inputs: TensorSpec[];
  /** sha256 hex of the model bytes. */
  id: string;
  idBytes32: `0x${string}`;
  /** In memory (small zoo models); null when onnxruntime opens `path`. */
  bytes: Uint8Array | null;
  path: string | null;
  source: ModelSource;
};
