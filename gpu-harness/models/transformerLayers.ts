import type { GraphBuilder } from './graphBuilder.ts';

/** The pieces BERT and GPT-2 share: linear layers, layer norm, GELU, multi-head attention. */

/** BERT and GPT-2 initialise weights with N(0, 0.02); a uniform of the same spread. */
export const initScale = 0.02 * Math.sqrt(3);

/** x[…, inWidth] · W[inWidth, outWidth] + b; `rows` (tokens) is only for the MAC count. */
export function linear(
  g: GraphBuilder,
  name: string,
  x: string,
  p: { inWidth: number; outWidth: number; rows: number },
): string {
  const w = g.weight(`${name}_w`, [p.inWidth, p.outWidth], initScale);
  const b = g.weight(`${name}_b`, [p.outWidth], initScale);
  const y = g.op('MatMul', [x, w], `${name}_mm`, undefined, p.rows * p.inWidth * p.outWidth);
  return g.op('Add', [y, b], name);
}

export function layerNorm(
  g: GraphBuilder,
  name: string,
  x: string,
  width: number,
  epsilon: number,
): string {
  const gamma = g.floats(`${name}_g`, [width], new Float32Array(width).fill(1));
  const beta = g.floats(`${name}_b`, [width], new Float32Array(width));
  return g.op('LayerNormalization', [x, gamma, beta], name, {
    axis: -1,
    epsilon: { float: epsilon },
  });
}

/** GELU in its exact form, 0.5·x·(1 + erf(x/√2)); onnxruntime fuses it into one kernel. */
export function gelu(g: GraphBuilder, name: string, x: string): string {
  const root2 = g.floats(`${name}_sqrt2`, [1], Float32Array.of(Math.SQRT2));
  const one = g.floats(`${name}_one`, [1], Float32Array.of(1));
  const half = g.floats(`${name}_half`, [1], Float32Array.of(0.5));
  const erf = g.op('Erf', [g.op('Div', [x, root2], `${name}_div`)], `${name}_erf`);
  const sum = g.op('Add', [erf, one], `${name}_add`);
  return g.op('Mul', [g.op('Mul', [x, sum], `${name}_mul`), half], name);
}

/** [1, S, heads·headDim] → [1, heads, S, headDim] (or [1, heads, headDim, S] when `keyT`). */
export function splitHeads(
  g: GraphBuilder,
  name: string,
  x: string,
  heads: number,
  headDim: number,
): string {
  const shape = g.ints(`${name}_shape`, [1, -1, heads, headDim]);
  const r = g.op('Reshape', [x, shape], `${name}_r`);
  return g.op('Transpose', [r], name, { perm: [0, 2, 1, 3] });
}

/** [1, heads, S, headDim] → [1, S, heads·headDim]. */
export function mergeHeads(g: GraphBuilder, name: string, x: string, width: number): string {
  const t = g.op('Transpose', [x], `${name}_t`, { perm: [0, 2, 1, 3] });
  return g.op('Reshape', [t, g.ints(`${name}_shape`, [1, -1, width])], name);
}

/**
 * softmax(q·kᵀ/√d + bias)·v over heads: q [1,H,S,Dh], k and v [1,H,T,Dh], bias broadcast to
 * [1,H,S,T]. `macs` is what the two products cost for the shapes the caller knows.
 */
export function attention(
  g: GraphBuilder,
  name: string,
  p: { q: string; k: string; v: string; bias: string; headDim: number; macs: number },
): string {
  const scale = g.floats(`${name}_scale`, [1], Float32Array.of(1 / Math.sqrt(p.headDim)));
  const kt = g.op('Transpose', [p.k], `${name}_kt`, { perm: [0, 1, 3, 2] });
  const scores = g.op('MatMul', [p.q, kt], `${name}_scores`, undefined, p.macs / 2);
  const scaled = g.op('Mul', [scores, scale], `${name}_scaled`);
  const biased = g.op('Add', [scaled, p.bias], `${name}_biased`);
  const probs = g.op('Softmax', [biased], `${name}_probs`, { axis: -1 });
  return g.op('MatMul', [probs, p.v], `${name}_ctx`, undefined, p.macs / 2);
}
