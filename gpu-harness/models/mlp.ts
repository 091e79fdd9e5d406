import { cuFromMacs, type ModelSpec } from './modelSpec.ts';
import { encodeModel, floatInitializer, node, valueInfo } from './onnxBuilder.ts';
import { fanInScale, weightStream } from './weights.ts';

export type MlpShape = { inputs: number; hidden: number; outputs: number };

/** Two hidden ReLU layers of Gemm; input x[1,inputs] → logits[1,outputs]. */
export function buildMlp(name: string, shape: MlpShape, seed: number): Uint8Array {
  const w = weightStream(name, seed);
  const widths = [shape.inputs, shape.hidden, shape.hidden, shape.outputs];
  const initializers = [];
  const nodes = [];
  let current = 'x';
  for (let layer = 0; layer < 3; layer++) {
    const fanIn = widths[layer]!;
    const fanOut = widths[layer + 1]!;
    initializers.push(
      floatInitializer(`w${layer}`, [fanIn, fanOut], w.uniform(fanIn * fanOut, fanInScale(fanIn))),
    );
    initializers.push(floatInitializer(`b${layer}`, [fanOut], w.uniform(fanOut, 0.1)));
    const out = layer === 2 ? 'logits' : `h${layer}`;
    nodes.push(node({ op: 'Gemm', inputs: [current, `w${layer}`, `b${layer}`], outputs: [out] }));
    if (layer < 2) {
      nodes.push(node({ op: 'Relu', inputs: [out], outputs: [`${out}_relu`] }));
      current = `${out}_relu`;
    }
  }
  return encodeModel({
    name,
    nodes,
    initializers,
    inputs: [valueInfo('x', 'float32', [1, shape.inputs])],
    outputs: [valueInfo('logits', 'float32', [1, shape.outputs])],
  });
}

export function mlpSpec(name: string, shape: MlpShape): ModelSpec {
  const macs =
    shape.inputs * shape.hidden + shape.hidden * shape.hidden + shape.hidden * shape.outputs;
  const weightSeed = 1;
  return {
    name,
    description: `MLP ${shape.inputs}-${shape.hidden}-${shape.hidden}-${shape.outputs}, ReLU`,
    weightSeed,
    input: { name: 'x', element: 'float32', dims: [1, shape.inputs] },
    output: { name: 'logits', element: 'float32', dims: [1, shape.outputs] },
    cost: { per: 'request', cu: cuFromMacs(macs) },
    multiplyAccumulatesPerRun: macs,
    flopsPerQuery: 2 * macs,
    parameterCount: macs + 2 * shape.hidden + shape.outputs,
    tolerance: { scheme: 'float32-round', mantissaBits: 10, zeroBelowAbs: 1e-4 },
    build: () => buildMlp(name, shape, weightSeed),
  };
}
