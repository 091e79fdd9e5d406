import type { TensorElement } from './onnxBuilder.ts';

/** The typed array that holds one tensor of each element type (bool as one byte per value). */
export type TensorData =
  | Float32Array
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Int8Array
  | Uint8Array;

export const bytesPerElement: Record<TensorElement, number> = {
  float32: 4,
  float64: 8,
  int64: 8,
  int32: 4,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** A new zeroed array of `count` values of `element`. */
export function allocTensor(element: TensorElement, count: number): TensorData {
  return viewTensor(element, new ArrayBuffer(count * bytesPerElement[element]), 0, count);
}

/** A typed-array view of `count` values of `element` at `byteOffset` of a buffer. */
export function viewTensor(
  element: TensorElement,
  buffer: ArrayBufferLike,
  byteOffset: number,
  count: number,
): TensorData {
  switch (element) {
    case 'float32':
      return new Float32Array(buffer, byteOffset, count);
    case 'float64':
      return new Float64Array(buffer, byteOffset, count);
    case 'int64':
      return new BigInt64Array(buffer, byteOffset, count);
    case 'int32':
      return new Int32Array(buffer, byteOffset, count);
    case 'int8':
      return new Int8Array(buffer, byteOffset, count);
    case 'uint8':
    case 'bool':
      return new Uint8Array(buffer, byteOffset, count);
  }
}

export const elementCount = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Copies `source` into `target` (same element type) without a BigInt/Number mix-up. */
export function copyTensor(target: TensorData, source: TensorData): void {
  (target as Uint8Array).set(source as Uint8Array);
}
