import onnxProto from 'onnx-proto';
import { InputError } from '../../protocol/errors.ts';
import type { TensorSpec } from './modelSpec.ts';
import { elementTypes, type TensorElement } from './onnxBuilder.ts';

const { onnx } = onnxProto;

/** An operator's model file that cannot be benchmarked; `field` is the flag to fix. */
export class ModelFileError extends InputError {
  override name = 'ModelFileError';
  declare readonly field: string;
  constructor(field: string, message: string) {
    super(message, field);
  }
}

/** A graph input or output as the file declares it: a string dim is symbolic, null unknown. */
export type DeclaredTensor = {
  name: string;
  element: TensorElement | null;
  /** The ONNX data type name, e.g. FLOAT16, for the message when it is not supported. */
  elementName: string;
  dims: (number | string | null)[] | null;
};

export type DeclaredGraph = {
  inputs: DeclaredTensor[];
  outputs: DeclaredTensor[];
  nodeCount: number;
  opsets: { domain: string; version: number }[];
  initializerElements: number;
  producer: string;
};

type Longish = number | string | { toNumber(): number } | null | undefined;
const toNumber = (v: Longish): number =>
  typeof v === 'object' && v !== null ? v.toNumber() : Number(v ?? 0);

const dataTypeNames = Object.fromEntries(
  Object.entries(onnx.TensorProto.DataType).map(([k, v]) => [v, k]),
) as Record<number, string>;
const elementOf = Object.fromEntries(
  Object.entries(elementTypes).map(([element, code]) => [code, element as TensorElement]),
) as Record<number, TensorElement>;

type ValueInfo = NonNullable<ReturnType<typeof onnx.ModelProto.decode>['graph']>['input'];

function declared(list: ValueInfo, skip: Set<string>): DeclaredTensor[] {
  return (list ?? [])
    .filter((v) => !skip.has(v.name ?? ''))
    .map((v) => {
      const t = v.type?.tensorType;
      const code = t?.elemType ?? 0;
      const dims = t?.shape
        ? (t.shape.dim ?? []).map((d) => {
            if (d.dimParam) return d.dimParam;
            if (d.dimValue !== null && d.dimValue !== undefined)
              return toNumber(d.dimValue as Longish);
            return null;
          })
        : null;
      return {
        name: v.name ?? '',
        element: elementOf[code] ?? null,
        elementName: t ? (dataTypeNames[code] ?? `type ${code}`) : 'not a tensor',
        dims,
      };
    });
}

/**
 * What an ONNX file declares, read with onnx-proto: its real inputs (graph inputs that are not
 * initializers), outputs, opsets and weight count. Throws ModelFileError when the bytes are not
 * an ONNX model.
 */
export function describeModelFile(bytes: Uint8Array, path: string): DeclaredGraph {
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new ModelFileError(
      'model',
      `--model: ${path} is not an ONNX model (${(error as Error).message})`,
    );
  }
  const graph = model.graph;
  if (!graph || (graph.node ?? []).length === 0 || (graph.output ?? []).length === 0)
    throw new ModelFileError(
      'model',
      `--model: ${path} is not an ONNX model (no graph with nodes and outputs)`,
    );
  const initializers = new Set((graph.initializer ?? []).map((i) => i.name ?? ''));
  const initializerElements = (graph.initializer ?? []).reduce(
    (sum, i) => sum + (i.dims ?? []).reduce((a: number, d) => a * toNumber(d as Longish), 1),
    0,
  );
  return {
    inputs: declared(graph.input, initializers),
    outputs: declared(graph.output, new Set()),
    nodeCount: (graph.node ?? []).length,
    opsets: (model.opsetImport ?? []).map((o) => ({
      domain: o.domain || 'ai.onnx',
      version: toNumber(o.version as Longish),
    })),
    initializerElements,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ') || 'unknown',
  };
}

/** `name=1x3x224x224` → [name, dims]; a bad form is a ModelFileError naming --shape. */
export function parseShapeFlag(value: string): [string, number[]] {
  const m = /^([^=]+)=(\d+(?:x\d+)*)$/.exec(value.trim());
  if (!m)
    throw new ModelFileError(
      'shape',
      `--shape: expected NAME=DIMxDIMx… (e.g. input=1x3x224x224), got ${JSON.stringify(value)}`,
    );
  return [m[1]!, m[2]!.split('x').map(Number)];
}

/**
 * Every input's dims as they will run: static dims from the file, dynamic ones from --shape.
 * A dynamic input without --shape, a --shape that contradicts a static dim or has the wrong
 * rank, a --shape for no input, or an unsupported element type is a ModelFileError.
 */
export function bindInputs(
  graph: DeclaredGraph,
  shapes: ReadonlyMap<string, number[]>,
): TensorSpec[] {
  for (const name of shapes.keys())
    if (!graph.inputs.some((i) => i.name === name))
      throw new ModelFileError(
        'shape',
        `--shape: the model has no input ${JSON.stringify(name)} (inputs: ${graph.inputs.map((i) => i.name).join(', ')})`,
      );
  return graph.inputs.map((input) => {
    if (!input.element)
      throw new ModelFileError(
        'model',
        `--model: input ${JSON.stringify(input.name)} has element type ${input.elementName}, which the harness cannot generate (supported: ${Object.keys(elementTypes).join(', ')})`,
      );
    const given = shapes.get(input.name);
    const show = (input.dims ?? ['?']).map((d) => d ?? '?').join(', ');
    if (!given) {
      if (input.dims?.every((d): d is number => typeof d === 'number' && d > 0))
        return { name: input.name, element: input.element, dims: input.dims };
      throw new ModelFileError(
        'shape',
        `--shape: input ${JSON.stringify(input.name)} has dynamic dims [${show}]; bind them, e.g. --shape ${input.name}=${(input.dims ?? [1]).map((d) => (typeof d === 'number' && d > 0 ? d : 1)).join('x')}`,
      );
    }
    if (input.dims) {
      const wrongRank = given.length !== input.dims.length;
      const clash = input.dims.some((d, i) => typeof d === 'number' && d > 0 && d !== given[i]);
      if (wrongRank || clash)
        throw new ModelFileError(
          'shape',
          `--shape: ${input.name}=${given.join('x')} does not fit the declared dims [${show}]`,
        );
    }
    if (given.some((d) => d < 1))
      throw new ModelFileError(
        'shape',
        `--shape: ${input.name} dims must be ≥ 1, got ${given.join('x')}`,
      );
    return { name: input.name, element: input.element, dims: given };
  });
}
