import { cuFromMacs, type ModelSpec, type TextGenSpec } from './modelSpec.ts';
import { encodeModel, floatInitializer, node, valueInfo } from './onnxBuilder.ts';
import { fanInScale, weightStream } from './weights.ts';

export type TinyLmShape = TextGenSpec & { modelWidth: number; mlpWidth: number };

/** Additive causal mask: 0 on and below the diagonal, -1e9 above (softmax weight ≈ 0). */
function causalMask(t: number): Float32Array {
  const mask = new Float32Array(t * t);
  for (let row = 0; row < t; row++)
    for (let col = row + 1; col < t; col++) mask[row * t + col] = -1e9;
  return mask;
}

function weights(name: string, shape: TinyLmShape, seed: number) {
  const w = weightStream(name, seed);
  const { vocabSize: v, contextMax: t, modelWidth: d, mlpWidth: f } = shape;
  const square = (n: string) => floatInitializer(n, [d, d], w.uniform(d * d, fanInScale(d)));
  return [
    floatInitializer('embed', [v, d], w.uniform(v * d, 1)),
    floatInitializer('pos', [t, d], w.uniform(t * d, 0.5)),
    square('wq'),
    square('wk'),
    square('wv'),
    square('wo'),
    floatInitializer('scale', [1], new Float32Array([1 / Math.sqrt(d)])),
    floatInitializer('mask', [t, t], causalMask(t)),
    floatInitializer('w1', [d, f], w.uniform(d * f, fanInScale(d))),
    floatInitializer('b1', [f], w.uniform(f, 0.1)),
    floatInitializer('w2', [f, d], w.uniform(f * d, fanInScale(f))),
    floatInitializer('b2', [d], w.uniform(d, 0.1)),
    floatInitializer('wout', [d, v], w.uniform(d * v, fanInScale(d))),
  ];
}

const op = (
  o: string,
  inputs: string[],
  out: string,
  attributes?: Record<string, number | number[]>,
) => node({ op: o, inputs, outputs: [out], ...(attributes ? { attributes } : {}) });

/**
 * Embedding + one causal single-head self-attention block + ReLU MLP (both residual) + logits.
 * tokens[1,contextMax] (int64, right-padded) → logits[1,contextMax,vocab]; thanks to the causal
 * mask, the logits at position i depend only on tokens 0..i, so padding never leaks in.
 */
export function buildTinyLm(name: string, shape: TinyLmShape, seed: number): Uint8Array {
  const nodes = [
    op('Gather', ['embed', 'tokens'], 'emb'),
    op('Add', ['emb', 'pos'], 'x'),
    op('MatMul', ['x', 'wq'], 'q'),
    op('MatMul', ['x', 'wk'], 'k'),
    op('MatMul', ['x', 'wv'], 'v'),
    op('Transpose', ['k'], 'kt', { perm: [0, 2, 1] }),
    op('MatMul', ['q', 'kt'], 'scores'),
    op('Mul', ['scores', 'scale'], 'scaled'),
    op('Add', ['scaled', 'mask'], 'masked'),
    op('Softmax', ['masked'], 'attn', { axis: -1 }),
    op('MatMul', ['attn', 'v'], 'ctx'),
    op('MatMul', ['ctx', 'wo'], 'proj'),
    op('Add', ['x', 'proj'], 'h'),
    op('MatMul', ['h', 'w1'], 'f1'),
    op('Add', ['f1', 'b1'], 'f1b'),
    op('Relu', ['f1b'], 'f1r'),
    op('MatMul', ['f1r', 'w2'], 'f2'),
    op('Add', ['f2', 'b2'], 'f2b'),
    op('Add', ['h', 'f2b'], 'h2'),
    op('MatMul', ['h2', 'wout'], 'logits'),
  ];
  return encodeModel({
    name,
    nodes,
    initializers: weights(name, shape, seed),
    inputs: [valueInfo('tokens', 'int64', [1, shape.contextMax])],
    outputs: [valueInfo('logits', 'float32', [1, shape.contextMax, shape.vocabSize])],
  });
}

export function tinyLmSpec(name: string, shape: TinyLmShape): ModelSpec {
  const { vocabSize: v, contextMax: t, modelWidth: d, mlpWidth: f } = shape;
  if (shape.promptTokens + shape.newTokensMax > t) {
    throw new Error(
      `tinylm ${name}: prompt ${shape.promptTokens} + new ${shape.newTokensMax} > context ${t}`,
    );
  }
  const macs = 4 * t * d * d + 2 * t * t * d + 2 * t * d * f + t * d * v;
  const weightSeed = 1;
  const { modelWidth: _d, mlpWidth: _f, ...textGen } = shape;
  return {
    name,
    description: `tiny causal LM: vocab ${v}, context ${t}, width ${d}, mlp ${f}, 1 attention block`,
    weightSeed,
    input: { name: 'tokens', element: 'int64', dims: [1, t] },
    output: { name: 'logits', element: 'float32', dims: [1, t, v] },
    cost: { per: 'token', cu: cuFromMacs(macs) },
    multiplyAccumulatesPerRun: macs,
    // No cache: every generated token reruns the whole padded context.
    flopsPerQuery: 2 * macs * shape.newTokensMax,
    parameterCount: v * d + t * d + 4 * d * d + 1 + t * t + d * f + f + f * d + d + d * v,
    tolerance: { scheme: 'exact' },
    textGen,
    build: () => buildTinyLm(name, shape, weightSeed),
  };
}
