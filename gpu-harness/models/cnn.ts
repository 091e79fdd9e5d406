import { cuFromMacs, type ModelSpec } from './modelSpec.ts';
import { encodeModel, floatInitializer, int64Initializer, node, valueInfo } from './onnxBuilder.ts';
import { fanInScale, weightStream } from './weights.ts';

export type CnnShape = { side: number; channels: [number, number]; classes: number };

function convBlock(
  i: number,
  inCh: number,
  outCh: number,
  input: string,
  w: ReturnType<typeof weightStream>,
) {
  const fanIn = inCh * 9;
  return {
    initializers: [
      floatInitializer(
        `conv${i}_w`,
        [outCh, inCh, 3, 3],
        w.uniform(outCh * fanIn, fanInScale(fanIn)),
      ),
      floatInitializer(`conv${i}_b`, [outCh], w.uniform(outCh, 0.1)),
    ],
    nodes: [
      node({
        op: 'Conv',
        inputs: [input, `conv${i}_w`, `conv${i}_b`],
        outputs: [`conv${i}`],
        attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
      }),
      node({ op: 'Relu', inputs: [`conv${i}`], outputs: [`relu${i}`] }),
      node({
        op: 'MaxPool',
        inputs: [`relu${i}`],
        outputs: [`pool${i}`],
        attributes: { kernel_shape: [2, 2], strides: [2, 2] },
      }),
    ],
    output: `pool${i}`,
  };
}

/** conv3x3+ReLU+maxpool2 twice, flatten, Gemm: image[1,1,side,side] → logits[1,classes]. */
export function buildCnn(name: string, shape: CnnShape, seed: number): Uint8Array {
  const w = weightStream(name, seed);
  const [c1, c2] = shape.channels;
  const b1 = convBlock(1, 1, c1, 'image', w);
  const b2 = convBlock(2, c1, c2, b1.output, w);
  const flat = c2 * (shape.side / 4) ** 2;
  const head = [
    int64Initializer('flat_shape', [2], [1, flat]),
    floatInitializer(
      'fc_w',
      [flat, shape.classes],
      w.uniform(flat * shape.classes, fanInScale(flat)),
    ),
    floatInitializer('fc_b', [shape.classes], w.uniform(shape.classes, 0.1)),
  ];
  return encodeModel({
    name,
    nodes: [
      ...b1.nodes,
      ...b2.nodes,
      node({ op: 'Reshape', inputs: [b2.output, 'flat_shape'], outputs: ['flat'] }),
      node({ op: 'Gemm', inputs: ['flat', 'fc_w', 'fc_b'], outputs: ['logits'] }),
    ],
    initializers: [...b1.initializers, ...b2.initializers, ...head],
    inputs: [valueInfo('image', 'float32', [1, 1, shape.side, shape.side])],
    outputs: [valueInfo('logits', 'float32', [1, shape.classes])],
  });
}

export function cnnSpec(name: string, shape: CnnShape): ModelSpec {
  if (shape.side % 4 !== 0) throw new Error(`cnn ${name}: side ${shape.side} must divide by 4`);
  const [c1, c2] = shape.channels;
  const s = shape.side;
  const macs = s * s * c1 * 9 + (s / 2) ** 2 * c2 * c1 * 9 + c2 * (s / 4) ** 2 * shape.classes;
  const weightSeed = 1;
  return {
    name,
    description: `CNN ${s}x${s}: conv${c1}-pool-conv${c2}-pool-gemm${shape.classes}`,
    weightSeed,
    input: { name: 'image', element: 'float32', dims: [1, 1, s, s] },
    output: { name: 'logits', element: 'float32', dims: [1, shape.classes] },
    cost: { per: 'request', cu: cuFromMacs(macs) },
    multiplyAccumulatesPerRun: macs,
    flopsPerQuery: 2 * macs,
    parameterCount: (9 + 1) * c1 + (c1 * 9 + 1) * c2 + 2 + (c2 * (s / 4) ** 2 + 1) * shape.classes,
    tolerance: { scheme: 'float32-round', mantissaBits: 10, zeroBelowAbs: 1e-4 },
    build: () => buildCnn(name, shape, weightSeed),
  };
}
