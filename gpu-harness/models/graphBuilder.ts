import type { TensorElement } from './onnxBuilder.ts';
import {
  type AttributeValue,
  encodeModel,
  floatInitializer,
  int64Initializer,
  node,
  valueInfo,
} from './onnxBuilder.ts';
import type { WeightStream } from './weights.ts';

type Initializer = ReturnType<typeof floatInitializer>;

/**
 * Accumulates the nodes and weights of a graph being built in code, counting what the model
 * costs as it goes: parameters (initializer elements) and the multiply-accumulates of every
 * Conv, MatMul and Gemm, which the builders pass in from the shapes they know.
 */
export class GraphBuilder {
  readonly nodes: ReturnType<typeof node>[] = [];
  readonly initializers: Initializer[] = [];
  parameterCount = 0;
  multiplyAccumulates = 0;

  /**
   * With `weights` null the builder only counts (no weights drawn, nothing kept): the spec of a
   * 100M-weight model gets its parameter and multiply-accumulate counts from the very code that
   * builds it, without building it.
   */
  constructor(readonly weights: WeightStream | null) {}

  /** A float weight tensor, uniform in [-scale, scale). */
  weight(name: string, dims: number[], scale: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (!this.weights) {
      this.parameterCount += count;
      return name;
    }
    return this.floats(name, dims, this.weights.uniform(count, scale));
  }

  floats(name: string, dims: number[], values: Float32Array): string {
    if (this.weights) this.initializers.push(floatInitializer(name, dims, values));
    this.parameterCount += values.length;
    return name;
  }

  ints(name: string, values: number[]): string {
    if (this.weights) this.initializers.push(int64Initializer(name, [values.length], values));
    this.parameterCount += values.length;
    return name;
  }

  /** A scalar-shaped int64 constant (dims []), e.g. a Gather index that drops the axis. */
  intScalar(name: string, value: number): string {
    if (this.weights) this.initializers.push(int64Initializer(name, [], [value]));
    this.parameterCount += 1;
    return name;
  }

  op(
    op: string,
    inputs: string[],
    output: string,
    attributes?: Record<string, AttributeValue>,
    macs = 0,
  ): string {
    if (this.weights)
      this.nodes.push(
        node({ op, inputs, outputs: [output], ...(attributes ? { attributes } : {}) }),
      );
    this.multiplyAccumulates += macs;
    return output;
  }

  /** A node with several outputs (Split). */
  multi(
    op: string,
    inputs: string[],
    outputs: string[],
    attributes?: Record<string, AttributeValue>,
  ) {
    if (this.weights)
      this.nodes.push(node({ op, inputs, outputs, ...(attributes ? { attributes } : {}) }));
    return outputs;
  }

  encode(p: {
    name: string;
    inputs: { name: string; element: TensorElement; dims: (number | string)[] }[];
    outputs: { name: string; element: TensorElement; dims: (number | string)[] }[];
  }): Uint8Array {
    if (!this.weights)
      throw new Error(`graph ${p.name}: a counting builder has no weights to encode`);
    return encodeModel({
      name: p.name,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: p.inputs.map((i) => valueInfo(i.name, i.element, i.dims)),
      outputs: p.outputs.map((o) => valueInfo(o.name, o.element, o.dims)),
    });
  }
}
