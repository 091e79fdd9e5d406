import { GraphBuilder } from './graphBuilder.ts';
import { cuFromFlops, type ModelSpec } from './modelSpec.ts';
import { fanInScale, fastWeightStream } from './weights.ts';

/**
 * A ResNet v1.5 with bottleneck blocks (the stride on the 3×3 conv, as torchvision's resnet50):
 * ResNet-50 is side 224, stem 64, widths [64, 128, 256, 512], blocks [3, 4, 6, 3], 1000 classes.
 * Batch norm is folded into the convolutions' biases, as a deployed graph has it.
 */
export type ResNetShape = {
  side: number;
  stemWidth: number;
  widths: [number, number, number, number];
  blocks: [number, number, number, number];
  classes: number;
};

const expansion = 4;
const outSide = (side: number, k: number, stride: number, pad: number) =>
  Math.floor((side + 2 * pad - k) / stride) + 1;

type Feature = { name: string; channels: number; side: number };

function conv(
  g: GraphBuilder,
  name: string,
  x: Feature,
  o: { out: number; k: number; stride: number; relu: boolean; scale?: number },
): Feature {
  const pad = (o.k - 1) / 2;
  const side = outSide(x.side, o.k, o.stride, pad);
  const fanIn = x.channels * o.k * o.k;
  const w = g.weight(
    `${name}_w`,
    [o.out, x.channels, o.k, o.k],
    fanInScale(fanIn) * (o.scale ?? 1),
  );
  const b = g.weight(`${name}_b`, [o.out], 0.01);
  const macs = side * side * o.out * fanIn;
  const attributes = {
    kernel_shape: [o.k, o.k],
    strides: [o.stride, o.stride],
    pads: [pad, pad, pad, pad],
  };
  let out = g.op('Conv', [x.name, w, b], name, attributes, macs);
  if (o.relu) out = g.op('Relu', [out], `${name}_relu`);
  return { name: out, channels: o.out, side };
}

function bottleneck(
  g: GraphBuilder,
  id: string,
  x: Feature,
  width: number,
  stride: number,
): Feature {
  const a = conv(g, `${id}_a`, x, { out: width, k: 1, stride: 1, relu: true });
  const b = conv(g, `${id}_b`, a, { out: width, k: 3, stride, relu: true });
  // The residual branch starts small, so sixteen blocks do not blow the activations up.
  const c = conv(g, `${id}_c`, b, {
    out: width * expansion,
    k: 1,
    stride: 1,
    relu: false,
    scale: 0.2,
  });
  const shortcut =
    stride !== 1 || x.channels !== width * expansion
      ? conv(g, `${id}_proj`, x, { out: width * expansion, k: 1, stride, relu: false })
      : x;
  const sum = g.op('Add', [c.name, shortcut.name], `${id}_add`);
  return { name: g.op('Relu', [sum], `${id}_out`), channels: c.channels, side: c.side };
}

/** image[1,3,side,side] → logits[1,classes]; with `weights` null, only counts (see GraphBuilder). */
function graph(g: GraphBuilder, shape: ResNetShape): Feature {
  let x = conv(
    g,
    'stem',
    { name: 'image', channels: 3, side: shape.side },
    {
      out: shape.stemWidth,
      k: 7,
      stride: 2,
      relu: true,
    },
  );
  const pooled = outSide(x.side, 3, 2, 1);
  x = {
    name: g.op('MaxPool', [x.name], 'stem_pool', {
      kernel_shape: [3, 3],
      strides: [2, 2],
      pads: [1, 1, 1, 1],
    }),
    channels: x.channels,
    side: pooled,
  };
  for (let stage = 0; stage < 4; stage++) {
    for (let block = 0; block < shape.blocks[stage]!; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      x = bottleneck(g, `s${stage}b${block}`, x, shape.widths[stage]!, stride);
    }
  }
  const gap = g.op('GlobalAveragePool', [x.name], 'gap');
  const flat = g.op('Flatten', [gap], 'flat', { axis: 1 });
  const fcW = g.weight('fc_w', [x.channels, shape.classes], fanInScale(x.channels));
  const fcB = g.weight('fc_b', [shape.classes], 0.01);
  g.op('Gemm', [flat, fcW, fcB], 'logits', undefined, x.channels * shape.classes);
  return x;
}

export function buildResNet(name: string, shape: ResNetShape, seed: number): Uint8Array {
  const g = new GraphBuilder(fastWeightStream(name, seed));
  graph(g, shape);
  return g.encode({
    name,
    inputs: [{ name: 'image', element: 'float32', dims: [1, 3, shape.side, shape.side] }],
    outputs: [{ name: 'logits', element: 'float32', dims: [1, shape.classes] }],
  });
}

export function resNetSpec(
  name: string,
  shape: ResNetShape,
  o: { pinnedId?: string; latencyBoundMs: number },
): ModelSpec {
  const counter = new GraphBuilder(null);
  graph(counter, shape);
  const macs = counter.multiplyAccumulates;
  const weightSeed = 1;
  const layers = shape.blocks.reduce((a, b) => a + b, 0) * 3 + 2;
  return {
    name,
    description: `ResNet-${layers} v1.5 (bottleneck ${shape.blocks.join('-')}), ${shape.side}x${shape.side} RGB, ${shape.classes} classes`,
    weightSeed,
    input: { name: 'image', element: 'float32', dims: [1, 3, shape.side, shape.side] },
    output: { name: 'logits', element: 'float32', dims: [1, shape.classes] },
    cost: { per: 'request', cu: cuFromFlops(2 * macs) },
    multiplyAccumulatesPerRun: macs,
    flopsPerQuery: 2 * macs,
    parameterCount: counter.parameterCount,
    tolerance: { scheme: 'float32-round', mantissaBits: 10, zeroBelowAbs: 1e-4 },
    latencyBoundMs: o.latencyBoundMs,
    ...(o.pinnedId ? { pinnedId: o.pinnedId } : {}),
    build: () => buildResNet(name, shape, weightSeed),
  };
}
