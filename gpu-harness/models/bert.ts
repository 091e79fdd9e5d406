import { GraphBuilder } from './graphBuilder.ts';
import { cuFromFlops, type ModelSpec, type TensorSpec } from './modelSpec.ts';
import {
  attention,
  gelu,
  initScale,
  layerNorm,
  linear,
  mergeHeads,
  splitHeads,
} from './transformerLayers.ts';
import { fastWeightStream } from './weights.ts';

/**
 * A BERT encoder (post-layer-norm, GELU, learned positions, token types) with the pooler on
 * the [CLS] position: BERT-base is vocab 30522, width 768, 12 layers, 12 heads, FFN 3072.
 * input_ids, attention_mask, token_type_ids [1, seq] → pooled [1, width] (a sentence embedding).
 */
export type BertShape = {
  vocabSize: number;
  width: number;
  layers: number;
  heads: number;
  ffnWidth: number;
  positionsMax: number;
  seq: number;
};

function graph(g: GraphBuilder, s: BertShape): void {
  const { width: d, seq, heads } = s;
  const headDim = d / heads;
  const words = g.weight('word_emb', [s.vocabSize, d], initScale);
  const positions = g.weight('pos_emb', [s.positionsMax, d], initScale);
  const types = g.weight('type_emb', [2, d], initScale);
  const positionIds = g.ints(
    'position_ids',
    Array.from({ length: seq }, (_, i) => i),
  );
  const emb = g.op(
    'Add',
    [
      g.op(
        'Add',
        [
          g.op('Gather', [words, 'input_ids'], 'word_vec'),
          g.op('Gather', [positions, positionIds], 'pos_vec'),
        ],
        'emb_wp',
      ),
      g.op('Gather', [types, 'token_type_ids'], 'type_vec'),
    ],
    'emb_sum',
  );
  let h = layerNorm(g, 'emb_ln', emb, d, 1e-12);
  // Padding positions (mask 0) get −10000 before the softmax: BERT's extended attention mask.
  const mask = g.op('Cast', ['attention_mask'], 'mask_f', { to: 1 });
  const inverted = g.op('Sub', [g.floats('one', [1], Float32Array.of(1)), mask], 'mask_inv');
  const bias = g.op(
    'Reshape',
    [
      g.op('Mul', [inverted, g.floats('neg', [1], Float32Array.of(-10000))], 'mask_neg'),
      g.ints('mask_shape', [1, 1, 1, seq]),
    ],
    'mask_bias',
  );
  const rows = seq;
  for (let l = 0; l < s.layers; l++) {
    const p = `l${l}`;
    const proj = (n: string) => linear(g, `${p}_${n}`, h, { inWidth: d, outWidth: d, rows });
    const q = splitHeads(g, `${p}_qh`, proj('q'), heads, headDim);
    const k = splitHeads(g, `${p}_kh`, proj('k'), heads, headDim);
    const v = splitHeads(g, `${p}_vh`, proj('v'), heads, headDim);
    const ctx = attention(g, `${p}_att`, {
      q,
      k,
      v,
      bias,
      headDim,
      macs: 2 * heads * seq * seq * headDim,
    });
    const merged = mergeHeads(g, `${p}_ctx`, ctx, d);
    const attnOut = linear(g, `${p}_o`, merged, { inWidth: d, outWidth: d, rows });
    const h1 = layerNorm(g, `${p}_ln1`, g.op('Add', [h, attnOut], `${p}_res1`), d, 1e-12);
    const up = linear(g, `${p}_ff1`, h1, { inWidth: d, outWidth: s.ffnWidth, rows });
    const down = linear(g, `${p}_ff2`, gelu(g, `${p}_gelu`, up), {
      inWidth: s.ffnWidth,
      outWidth: d,
      rows,
    });
    h = layerNorm(g, `${p}_ln2`, g.op('Add', [h1, down], `${p}_res2`), d, 1e-12);
  }
  const cls = g.op('Gather', [h, g.intScalar('cls_index', 0)], 'cls', { axis: 1 });
  const poolW = g.weight('pool_w', [d, d], initScale);
  const poolB = g.weight('pool_b', [d], initScale);
  g.op('Tanh', [g.op('Gemm', [cls, poolW, poolB], 'pool_dense', undefined, d * d)], 'pooled');
}

/** Token ids in [1, vocab), every position attended, one segment. */
const inputsOf = (seq: number, vocabSize: number): TensorSpec[] => [
  {
    name: 'input_ids',
    element: 'int64',
    dims: [1, seq],
    fill: { kind: 'integers', low: 1, high: vocabSize },
  },
  {
    name: 'attention_mask',
    element: 'int64',
    dims: [1, seq],
    fill: { kind: 'constant', value: 1 },
  },
  {
    name: 'token_type_ids',
    element: 'int64',
    dims: [1, seq],
    fill: { kind: 'constant', value: 0 },
  },
];

export function buildBert(name: string, shape: BertShape, seed: number): Uint8Array {
  const g = new GraphBuilder(fastWeightStream(name, seed));
  graph(g, shape);
  return g.encode({
    name,
    inputs: inputsOf(shape.seq, shape.vocabSize),
    outputs: [{ name: 'pooled', element: 'float32', dims: [1, shape.width] }],
  });
}

export function bertSpec(
  name: string,
  shape: BertShape,
  o: { pinnedId?: string; latencyBoundMs: number },
): ModelSpec {
  if (shape.width % shape.heads !== 0)
    throw new Error(`bert ${name}: width ${shape.width} must divide by heads ${shape.heads}`);
  const counter = new GraphBuilder(null);
  graph(counter, shape);
  const macs = counter.multiplyAccumulates;
  const weightSeed = 1;
  const inputs = inputsOf(shape.seq, shape.vocabSize);
  return {
    name,
    description: `BERT encoder: ${shape.layers} layers, width ${shape.width}, ${shape.heads} heads, FFN ${shape.ffnWidth}, vocab ${shape.vocabSize}, sequence ${shape.seq} → pooled [CLS] embedding`,
    weightSeed,
    input: inputs[0]!,
    inputs,
    output: { name: 'pooled', element: 'float32', dims: [1, shape.width] },
    cost: { per: 'request', cu: cuFromFlops(2 * macs) },
    multiplyAccumulatesPerRun: macs,
    flopsPerQuery: 2 * macs,
    parameterCount: counter.parameterCount,
    tolerance: { scheme: 'float32-round', mantissaBits: 10, zeroBelowAbs: 1e-4 },
    latencyBoundMs: o.latencyBoundMs,
    ...(o.pinnedId ? { pinnedId: o.pinnedId } : {}),
    build: () => buildBert(name, shape, weightSeed),
  };
}
