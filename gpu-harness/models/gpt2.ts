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
 * A GPT-2 decoder (pre-layer-norm, learned positions, tied input and output embeddings) with a
 * key/value cache: GPT-2 small is vocab 50257, width 768, 12 layers, 12 heads, context 1024.
 *
 * Inputs: input_ids [1, sequence] and, per layer l, past_key_values.l.key|value
 * [1, heads, past_sequence, headDim] (past_sequence 0 for the prompt). Outputs: logits [1, vocab]
 * of the last position only, and present.l.key|value [1, heads, past_sequence + sequence, headDim],
 * fed back as the next run's past. Positions continue from past_sequence; a causal mask keeps
 * each new position from seeing later ones.
 */
export type Gpt2Shape = {
  vocabSize: number;
  width: number;
  layers: number;
  heads: number;
  contextMax: number;
  promptTokens: number;
  newTokensMax: number;
};

/** Multiply-accumulates of one run with `seq` new tokens after `past` cached ones. */
export function gpt2RunMacs(s: Gpt2Shape, seq: number, past: number): number {
  const d = s.width;
  const total = past + seq;
  // Per layer: qkv 3d², projection d², MLP 8d² per token, and q·kᵀ plus probs·v over the context.
  const perLayer = 12 * seq * d * d + 2 * seq * total * d;
  return s.layers * perLayer + d * s.vocabSize;
}

/** All runs of one query: the prompt, then one run per further token (the last is not fed back). */
export function gpt2QueryMacs(s: Gpt2Shape): number {
  let macs = gpt2RunMacs(s, s.promptTokens, 0);
  for (let i = 1; i < s.newTokensMax; i++) macs += gpt2RunMacs(s, 1, s.promptTokens + i - 1);
  return macs;
}

function positionsAndMask(g: GraphBuilder): { positions: string; bias: string } {
  const idx = (name: string, v: number) => g.intScalar(name, v);
  const past = g.op(
    'Gather',
    [g.op('Shape', ['past_key_values.0.key'], 'past_shape'), idx('i2', 2)],
    'past_len',
    {
      axis: 0,
    },
  );
  const seq = g.op('Gather', [g.op('Shape', ['input_ids'], 'ids_shape'), idx('i1', 1)], 'seq_len', {
    axis: 0,
  });
  const total = g.op('Add', [past, seq], 'total_len');
  const one = idx('one_i', 1);
  const positions = g.op('Range', [past, total, one], 'positions');
  const keys = g.op('Range', [idx('zero_i', 0), total, one], 'key_positions');
  const later = g.op(
    'Greater',
    [keys, g.op('Unsqueeze', [positions, g.ints('axis1', [1])], 'query_positions')],
    'later',
  );
  // −10⁴ where a key lies after the query: [seq, total], broadcast over batch and heads.
  const bias = g.op(
    'Mul',
    [g.op('Cast', [later], 'later_f', { to: 1 }), g.floats('neg', [1], Float32Array.of(-10000))],
    'causal_bias',
  );
  return { positions, bias };
}

function graph(g: GraphBuilder, s: Gpt2Shape): void {
  const { width: d, heads } = s;
  const headDim = d / heads;
  const wte = g.weight('wte', [s.vocabSize, d], initScale);
  const wpe = g.weight('wpe', [s.contextMax, d], initScale / 2);
  const { positions, bias } = positionsAndMask(g);
  let h = g.op(
    'Add',
    [g.op('Gather', [wte, 'input_ids'], 'tok_vec'), g.op('Gather', [wpe, positions], 'pos_vec')],
    'emb',
  );
  // Shapes are dynamic: counts come from gpt2RunMacs, not from the builder (rows 0).
  const rows = 0;
  for (let l = 0; l < s.layers; l++) {
    const p = `h${l}`;
    const x = layerNorm(g, `${p}_ln1`, h, d, 1e-5);
    const qkv = linear(g, `${p}_qkv`, x, { inWidth: d, outWidth: 3 * d, rows });
    const split = g.ints(`${p}_split`, [d, d, d]);
    const [q, k, v] = [`${p}_q`, `${p}_k`, `${p}_v`];
    g.multi('Split', [qkv, split], [q, k, v], { axis: 2 });
    const kh = splitHeads(g, `${p}_kh`, k, heads, headDim);
    const vh = splitHeads(g, `${p}_vh`, v, heads, headDim);
    const presentK = g.op('Concat', [`past_key_values.${l}.key`, kh], `present.${l}.key`, {
      axis: 2,
    });
    const presentV = g.op('Concat', [`past_key_values.${l}.value`, vh], `present.${l}.value`, {
      axis: 2,
    });
    const ctx = attention(g, `${p}_att`, {
      q: splitHeads(g, `${p}_qh`, q, heads, headDim),
      k: presentK,
      v: presentV,
      bias,
      headDim,
      macs: 0,
    });
    const attnOut = linear(g, `${p}_proj`, mergeHeads(g, `${p}_ctx`, ctx, d), {
      inWidth: d,
      outWidth: d,
      rows,
    });
    h = g.op('Add', [h, attnOut], `${p}_res1`);
    const up = linear(g, `${p}_fc`, layerNorm(g, `${p}_ln2`, h, d, 1e-5), {
      inWidth: d,
      outWidth: 4 * d,
      rows,
    });
    const down = linear(g, `${p}_fc2`, gelu(g, `${p}_gelu`, up), {
      inWidth: 4 * d,
      outWidth: d,
      rows,
    });
    h = g.op('Add', [h, down], `${p}_res2`);
  }
  const final = layerNorm(g, 'ln_f', h, d, 1e-5);
  const lastIndex = g.op('Sub', ['seq_len', 'one_i'], 'last_index');
  const last = g.op('Gather', [final, lastIndex], 'last_hidden', { axis: 1 });
  // Tied embeddings: logits = last · wteᵀ.
  g.op('Gemm', [last, wte], 'logits', { transB: 1 });
}

const kvName = (kind: 'past_key_values' | 'present', l: number, part: 'key' | 'value') =>
  `${kind}.${l}.${part}`;

function graphInputs(
  s: Gpt2Shape,
): { name: string; element: 'int64' | 'float32'; dims: (number | string)[] }[] {
  const headDim = s.width / s.heads;
  return [
    { name: 'input_ids', element: 'int64', dims: [1, 'sequence'] },
    ...Array.from({ length: s.layers }, (_, l) =>
      (['key', 'value'] as const).map((part) => ({
        name: kvName('past_key_values', l, part),
        element: 'float32' as const,
        dims: [1, s.heads, 'past_sequence', headDim],
      })),
    ).flat(),
  ];
}

export function buildGpt2(name: string, shape: Gpt2Shape, seed: number): Uint8Array {
  const g = new GraphBuilder(fastWeightStream(name, seed));
  graph(g, shape);
  const headDim = shape.width / shape.heads;
  return g.encode({
    name,
    inputs: graphInputs(shape),
    outputs: [
      { name: 'logits', element: 'float32', dims: [1, shape.vocabSize] },
      ...Array.from({ length: shape.layers }, (_, l) =>
        (['key', 'value'] as const).map((part) => ({
          name: kvName('present', l, part),
          element: 'float32' as const,
          dims: [1, shape.heads, 'total_sequence', headDim],
        })),
      ).flat(),
    ],
  });
}

export function gpt2Spec(
  name: string,
  shape: Gpt2Shape,
  o: { pinnedId?: string; latencyBoundMs: number },
): ModelSpec {
  if (shape.width % shape.heads !== 0)
    throw new Error(`gpt2 ${name}: width ${shape.width} must divide by heads ${shape.heads}`);
  if (shape.promptTokens + shape.newTokensMax > shape.contextMax)
    throw new Error(`gpt2 ${name}: prompt + new tokens exceed the context ${shape.contextMax}`);
  const counter = new GraphBuilder(null);
  graph(counter, shape);
  const weightSeed = 1;
  const macs = gpt2QueryMacs(shape);
  const input: TensorSpec = { name: 'input_ids', element: 'int64', dims: [1, shape.promptTokens] };
  const headDim = shape.width / shape.heads;
  return {
    name,
    description: `GPT-2 decoder with a key/value cache: ${shape.layers} layers, width ${shape.width}, ${shape.heads} heads, vocab ${shape.vocabSize}, context ${shape.contextMax}; ${shape.promptTokens}-token prompt, ${shape.newTokensMax} new tokens (greedy)`,
    weightSeed,
    input,
    output: { name: 'logits', element: 'float32', dims: [1, shape.vocabSize] },
    cost: { per: 'token', cu: cuFromFlops((2 * macs) / shape.newTokensMax) },
    multiplyAccumulatesPerRun: gpt2RunMacs(shape, shape.promptTokens, 0),
    flopsPerQuery: 2 * macs,
    parameterCount: counter.parameterCount,
    tolerance: { scheme: 'exact' },
    textGen: {
      vocabSize: shape.vocabSize,
      contextMax: shape.contextMax,
      promptTokens: shape.promptTokens,
      newTokensMax: shape.newTokensMax,
      kvCache: { layers: shape.layers, heads: shape.heads, headDim },
    },
    latencyBoundMs: o.latencyBoundMs,
    ...(o.pinnedId ? { pinnedId: o.pinnedId } : {}),
    build: () => buildGpt2(name, shape, weightSeed),
  };
}
