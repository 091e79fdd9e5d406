import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { profileFolder } from '../runtime/profileEvents.ts';
import { runModel } from '../runtime/runModel.ts';
import { countFlops, type FlopCount } from './countFlops.ts';
import { readInputsFile } from './inputsFile.ts';
import type { LoadedModel } from './loadedModel.ts';
import { bindInputs, describeModelFile, ModelFileError } from './modelFile.ts';
import { toBytes32 } from './modelId.ts';
import { cuFromFlops, type OutputTolerance } from './modelSpec.ts';
import { makeSample } from './sampleInputs.ts';

export type LoadModelFileParameters = {
  path: string;
  /** --shape bindings for dynamic input dims. */
  shapes?: ReadonlyMap<string, number[]>;
  /** The output receipts bind (default: the first graph output). */
  output?: string | null;
  /** CU per request; default from the counted FLOPs (cuFromFlops). */
  cu?: number | null;
  /** A JSON inputs file instead of seeded inputs. */
  inputsFile?: string | null;
};

export type LoadModelFileReturnType = { model: LoadedModel; flops: FlopCount; nodeCount: number };

/** Files above this are refused: protobuf cannot hold more than 2 GiB in one message. */
export const modelFileBytesMax = 2 * 1024 ** 3 - 1;

function toleranceFor(element: string): OutputTolerance {
  return element === 'float32' || element === 'float64'
    ? { scheme: 'float32-round', mantissaBits: 10, zeroBelowAbs: 1e-4 }
    : { scheme: 'exact' };
}

function onnxruntimeReason(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split('\n')[0]!
    .slice(0, 300);
}

/**
 * An operator's own ONNX file as a runnable model. Inputs are discovered from the file and bound
 * with `shapes`; the id is the sha256 of the bytes. onnxruntime then opens it (cpu, graph
 * optimisation off, profiling on) and runs sample 0 once: that proves it runs, gives the bound
 * output's dims and, from onnxruntime's own node shapes, the FLOPs per inference. Anything that
 * keeps the file from running is a ModelFileError naming the flag and onnxruntime's reason.
 */
export async function loadModelFile(p: LoadModelFileParameters): Promise<LoadModelFileReturnType> {
  const path = resolve(p.path);
  let bytes: Buffer;
  try {
    if (statSync(path).size > modelFileBytesMax)
      throw new ModelFileError(
        'model',
        `--model: ${p.path} is larger than ONNX's 2 GiB protobuf limit`,
      );
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(
      'model',
      `--model: cannot read ${p.path} (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  const graph = describeModelFile(bytes, p.path);
  const inputs = bindInputs(graph, p.shapes ?? new Map());
  const outputName = p.output ?? graph.outputs[0]!.name;
  const declaredOutput = graph.outputs.find((o) => o.name === outputName);
  if (!declaredOutput)
    throw new ModelFileError(
      'output',
      `--output: the model has no output ${JSON.stringify(outputName)} (outputs: ${graph.outputs.map((o) => o.name).join(', ')})`,
    );
  if (!declaredOutput.element)
    throw new ModelFileError(
      'output',
      `--output: ${outputName} has element type ${declaredOutput.elementName}, which receipts cannot digest`,
    );
  const id = createHash('sha256').update(bytes).digest('hex');
  const inputsFile = p.inputsFile ? readInputsFile(resolve(p.inputsFile), inputs) : null;
  const shapes = Object.fromEntries(inputs.map((i) => [i.name, i.dims]));
  const draft: LoadedModel = {
    name: basename(path).replace(/\.onnx$/i, ''),
    description: `${basename(path)}: ${graph.nodeCount} nodes, ${inputs.length} input(s), opsets ${graph.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}, from ${graph.producer}`,
    weightSeed: 0,
    input: inputs[0]!,
    inputs,
    output: { name: outputName, element: declaredOutput.element, dims: [] },
    cost: { per: 'request', cu: 1 },
    multiplyAccumulatesPerRun: 0,
    flopsPerQuery: 0,
    parameterCount: graph.initializerElements,
    tolerance: toleranceFor(declaredOutput.element),
    id,
    idBytes32: toBytes32(id),
    bytes: null,
    path,
    source: {
      kind: 'file',
      path,
      shapes,
      output: outputName,
      inputsFile: inputsFile ? { path: inputsFile.path, sha256: inputsFile.sha256 } : null,
      cuFrom: p.cu ? 'flag' : 'flops',
    },
  };
  const folder = profileFolder();
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'disabled',
      // The reason comes back in the exception; onnxruntime's own log lines would repeat it.
      logSeverityLevel: 4,
      enableProfiling: true,
      profileFilePrefix: folder.prefix,
    });
  } catch (error) {
    folder.discard();
    throw new ModelFileError(
      'model',
      `--model: onnxruntime cannot load ${p.path}: ${onnxruntimeReason(error)}`,
    );
  }
  let outputDims: number[];
  try {
    const sample = makeSample({ model: draft, seed: 1, index: 0 });
    outputDims = (await runModel({ session, model: draft, inputs: sample.inputs })).dims;
  } catch (error) {
    session.endProfiling();
    await session.release();
    folder.discard();
    throw new ModelFileError(
      'shape',
      `--model: ${p.path} does not run with inputs ${inputs.map((i) => `${i.name}=${i.dims.join('x')}`).join(' ')}: ${onnxruntimeReason(error)}`,
    );
  }
  session.endProfiling();
  await session.release();
  const flops = countFlops(folder.read());
  const model: LoadedModel = {
    ...draft,
    output: { ...draft.output, dims: outputDims },
    cost: { per: 'request', cu: p.cu ?? cuFromFlops(flops.flops) },
    multiplyAccumulatesPerRun: flops.multiplyAccumulates,
    flopsPerQuery: flops.flops,
  };
  return { model, flops, nodeCount: graph.nodeCount };
}
