import type { NodeEvent } from '../runtime/profileEvents.ts';

/** Ops whose multiply-accumulates are counted: the dense products that are a model's work. */
export const countedOps = ['Conv', 'ConvTranspose', 'MatMul', 'Gemm'] as const;

/** Ops that move or reshape data, or cost a few operations per element: not counted, not listed. */
const cheapOps = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Relu',
  'Sigmoid',
  'Tanh',
  'Erf',
  'Gelu',
  'Softmax',
  'LogSoftmax',
  'LayerNormalization',
  'BatchNormalization',
  'Reshape',
  'Transpose',
  'Gather',
  'Concat',
  'Split',
  'Slice',
  'Squeeze',
  'Unsqueeze',
  'Flatten',
  'Cast',
  'Shape',
  'Range',
  'Greater',
  'Less',
  'Equal',
  'Where',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'ReduceMean',
  'ReduceSum',
  'Sqrt',
  'Pow',
  'Exp',
  'Log',
  'Neg',
  'Abs',
  'Clip',
  'Identity',
  'Dropout',
  'Expand',
  'Tile',
  'Pad',
  'ConstantOfShape',
  'Constant',
  'Not',
  'And',
  'Or',
  'Min',
  'Max',
  'ArgMax',
  'TopK',
  'Resize',
  'HardSigmoid',
  'HardSwish',
  'LeakyRelu',
  'PRelu',
  'Elu',
  'Selu',
  'Softplus',
  'Reciprocal',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
  'Sin',
  'Cos',
  'CumSum',
  'NonZero',
  'ScatterND',
  'GatherElements',
  'GatherND',
  'DepthToSpace',
  'SpaceToDepth',
  'InstanceNormalization',
  'GroupNormalization',
  'SkipLayerNormalization',
  'SimplifiedLayerNormalization',
  'QuickGelu',
  'FastGelu',
  'BiasGelu',
]);

const count = (dims: readonly number[] | undefined) => (dims ?? []).reduce((a, b) => a * b, 1);

/**
 * Multiply-accumulates of one kernel, from the shapes onnxruntime reports for it:
 * Conv: output elements × (weight elements / output channels), i.e. Cin/group · kH · kW each;
 * ConvTranspose: input elements × weight elements / input channels; MatMul: output elements
 * × the shared dimension (A's last); Gemm: output elements × A's elements / output rows.
 */
export function kernelMacs(e: NodeEvent): number | null {
  const [a, b] = e.inputShapes;
  const out = e.outputShapes[0];
  // A pre-packed constant weight is left out of the profile's inputs: MatMul and Gemm do not need it.
  if (!a || !out) return null;
  switch (e.op) {
    case 'Conv':
      return b ? count(out) * (count(b) / b[0]!) : null;
    case 'ConvTranspose':
      return b ? count(a) * (count(b) / b[0]!) : null;
    case 'MatMul':
      return count(out) * a[a.length - 1]!;
    case 'Gemm':
      return count(out) * (count(a) / out[0]!);
    default:
      return null;
  }
}

export type FlopCount = {
  /** Multiply-accumulates of every Conv, ConvTranspose, MatMul and Gemm kernel in the events. */
  multiplyAccumulates: number;
  /** 2 × multiplyAccumulates. */
  flops: number;
  /** Ops that may carry real work and were not counted (e.g. Einsum, Attention), with kernel counts. */
  uncounted: Record<string, number>;
};

/**
 * FLOPs of the kernels in a profile taken with graph optimisation disabled (so nodes are the
 * graph's own ops, not fused ones). Only dense products are counted; anything else that may be
 * heavy is listed, so a model whose work hides in an uncounted op says so instead of reading low.
 */
export function countFlops(events: readonly NodeEvent[]): FlopCount {
  let macs = 0;
  const uncounted: Record<string, number> = {};
  for (const e of events) {
    const m = kernelMacs(e);
    if (m !== null) macs += m;
    else if (!cheapOps.has(e.op)) uncounted[e.op] = (uncounted[e.op] ?? 0) + 1;
  }
  return { multiplyAccumulates: macs, flops: 2 * macs, uncounted };
}
