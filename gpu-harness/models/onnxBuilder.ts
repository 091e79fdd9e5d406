import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Opset every zoo model targets; ORT 1.30 supports it fully. */
export const opsetVersion = 17;
const irVersion = 8;

export type TensorElement = 'float32' | 'float64' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

/** ONNX TensorProto data type of each element type the harness feeds and reads. */
export const elementTypes: Record<TensorElement, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A float32 initializer stored as little-endian raw bytes (protobuf encodes it verbatim). */
export function floatInitializer(name: string, dims: number[], values: Float32Array) {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (values.length !== expected) {
    throw new Error(`initializer ${name}: ${values.length} values for dims [${dims}]`);
  }
  // ONNX raw data is little-endian: on such machines (all onnxruntime targets) the bytes are the
  // array's own, so a 100M-weight model is not copied value by value.
  let rawData: Uint8Array;
  if (littleEndian) rawData = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  else {
    rawData = new Uint8Array(values.length * 4);
    const view = new DataView(rawData.buffer);
    for (const [i, v] of values.entries()) view.setFloat32(i * 4, v, true);
  }
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: elementTypes.float32,
    rawData,
  });
}

/** An int64 initializer (shapes for Reshape and the like). */
export function int64Initializer(name: string, dims: number[], values: number[]) {
  const rawData = new Uint8Array(values.length * 8);
  const view = new DataView(rawData.buffer);
  for (const [i, v] of values.entries()) view.setBigInt64(i * 8, BigInt(v), true);
  return onnx.TensorProto.create({ name, dims, dataType: elementTypes.int64, rawData });
}

export type AttributeValue = number | number[] | { float: number } | { tensor: TensorProto };
type TensorProto = ReturnType<typeof onnx.TensorProto.create>;

function attribute(name: string, value: AttributeValue) {
  const A = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return onnx.AttributeProto.create({ name, type: A.INTS, ints: value });
  if (typeof value === 'number') return onnx.AttributeProto.create({ name, type: A.INT, i: value });
  if ('tensor' in value)
    return onnx.AttributeProto.create({ name, type: A.TENSOR, t: value.tensor });
  return onnx.AttributeProto.create({ name, type: A.FLOAT, f: value.float });
}

export type NodeParameters = {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
};

/** One graph node; the node name is its first output, so names are unique and stable. */
export function node({ op, inputs, outputs, attributes = {} }: NodeParameters) {
  return onnx.NodeProto.create({
    name: outputs[0],
    opType: op,
    input: inputs,
    output: outputs,
    attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
  });
}

/** A graph input or output; a string dim is symbolic (dim_param), bound when the model runs. */
export function valueInfo(name: string, element: TensorElement, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: elementTypes[element],
        shape: {
          dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })),
        },
      },
    },
  });
}

export type BuildModelParameters = {
  name: string;
  nodes: ReturnType<typeof node>[];
  initializers: ReturnType<typeof floatInitializer>[];
  inputs: ReturnType<typeof valueInfo>[];
  outputs: ReturnType<typeof valueInfo>[];
};

/** Serialises a model. Protobuf field order is fixed, so equal inputs give equal bytes. */
export function encodeModel({ name, nodes, initializers, inputs, outputs }: BuildModelParameters) {
  const model = onnx.ModelProto.create({
    irVersion,
    producerName: 'onesim-gpu-harness',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: opsetVersion }],
    graph: { name, node: nodes, initializer: initializers, input: inputs, output: outputs },
  });
  return onnx.ModelProto.encode(model).finish();
}
