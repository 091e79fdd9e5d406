import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { parseProfileEvents, profileFolder } from '../runtime/profileEvents.ts';
import { runModel } from '../runtime/runModel.ts';
import { countFlops, kernelMacs } from './countFlops.ts';
import { describeModelFile } from './modelFile.ts';
import { reducedZoo } from './reducedZoo.ts';
import { listModels, loadSpec } from './registry.ts';
import { makeSample } from './sampleInputs.ts';

/** FLOPs of one query, from onnxruntime's own profile of it (graph optimisation off). */
async function profiledFlops(spec: (typeof specs)[number]) {
  const model = loadSpec(spec);
  const folder = profileFolder();
  const session = await ort.InferenceSession.create(model.bytes!, {
    graphOptimizationLevel: 'disabled',
    enableProfiling: true,
    profileFilePrefix: folder.prefix,
  });
  await runModel({ session, model, inputs: makeSample({ model, seed: 1, index: 0 }).inputs });
  session.endProfiling();
  await session.release();
  return { model, count: countFlops(folder.read()) };
}

const specs = [...listModels().filter((s) => !s.pinnedId), ...reducedZoo()];

describe('FLOPs per query', () => {
  for (const spec of specs) {
    it(`${spec.name}: the builder's count equals onnxruntime's node shapes, and its weights the file's`, async () => {
      const { model, count } = await profiledFlops(spec);
      expect(count.uncounted).toEqual({});
      expect(count.flops).toBe(model.flopsPerQuery);
      expect(describeModelFile(spec.build(), spec.name).initializerElements).toBe(
        spec.parameterCount,
      );
    });
  }

  it('counts each product from its shapes and lists heavy ops it cannot count', () => {
    const events = parseProfileEvents(
      JSON.stringify([
        {
          cat: 'Node',
          name: 'c_kernel_time',
          args: {
            op_name: 'Conv',
            provider: 'CPUExecutionProvider',
            input_type_shape: [{ float: [1, 4, 8, 8] }, { float: [6, 2, 3, 3] }],
            output_type_shape: [{ float: [1, 6, 8, 8] }],
          },
        },
        {
          cat: 'Node',
          name: 'g_kernel_time',
          args: {
            op_name: 'Gemm',
            input_type_shape: [{ float: [5, 3] }, { float: [5, 7] }],
            output_type_shape: [{ float: [3, 7] }],
          },
        },
        {
          cat: 'Node',
          name: 'e_kernel_time',
          args: { op_name: 'Einsum', input_type_shape: [], output_type_shape: [] },
        },
        { cat: 'Session', name: 'model_run', args: {} },
      ]),
    );
    // Grouped conv (group 2): each output sums 2 input channels × 3 × 3. Gemm with transA: K = 5.
    expect(events.map(kernelMacs)).toEqual([6 * 64 * 18, 3 * 7 * 5, null]);
    expect(countFlops(events)).toEqual({
      multiplyAccumulates: 6 * 64 * 18 + 105,
      flops: 2 * (6 * 64 * 18 + 105),
      uncounted: { Einsum: 1 },
    });
  });
});
