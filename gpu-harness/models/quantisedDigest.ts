import { createHash, hash } from 'node:crypto';
import type { OutputTolerance } from './modelSpec.ts';

/**
 * Digest of an output that verifiers can recompute on other hardware.
 *
 * Scheme `float32-round` (v1): each value is converted to float32; if |x| < zeroBelowAbs it
 * becomes +0 (this also folds -0 and denormals); otherwise its 23-bit mantissa is rounded
 * half-up (on the bit pattern) to `mantissaBits` bits, letting the carry roll into the
 * exponent. So values that differ by less than ~2^-(mantissaBits+1) relative almost always
 * hash alike, while a change bigger than 2^-mantissaBits relative always changes the digest.
 * Values that straddle a rounding boundary can still differ: verifiers should treat a digest
 * mismatch as "re-compare with tolerance", not as proof of fraud.
 * Scheme `exact`: the values (token ids or floats) are hashed as given.
 *
 * The hash is sha256 over `onesim-output/v1|<scheme>|<dims joined by ,>|` (UTF-8) followed by
 * the quantised values as little-endian uint32 words (float32 bit patterns) for floats, or
 * little-endian int64 for integers. Returned as lower-case hex.
 */
export type QuantisedDigestParameters = {
  values: Float32Array | BigInt64Array | number[];
  dims: number[];
  tolerance: OutputTolerance;
};

// One scratch word reinterpreted as float32 and uint32: no allocation per value.
const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

export function quantiseFloat32Bits(
  value: number,
  mantissaBits: number,
  zeroBelowAbs: number,
): number {
  if (!Number.isInteger(mantissaBits) || mantissaBits < 0 || mantissaBits > 23) {
    throw new Error(`mantissaBits: must be an integer in 0..23, got ${mantissaBits}`);
  }
  scratchF32[0] = value;
  const bits = scratchU32[0]!;
  if (!Number.isFinite(value)) return bits;
  if (Math.abs(value) < zeroBelowAbs) return 0;
  const drop = 23 - mantissaBits;
  if (drop === 0) return bits;
  const half = 2 ** (drop - 1);
  const mask = ~(2 ** drop - 1) >>> 0;
  return ((bits + half) & mask) >>> 0;
}

function valueBytes(
  values: QuantisedDigestParameters['values'],
  tolerance: OutputTolerance,
): Uint8Array {
  if (values instanceof BigInt64Array)
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (Array.isArray(values)) {
    // Token ids: exact integers, hashed as int64 so they match tensors of token ids.
    return new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  }
  const out = new Uint32Array(values.length);
  if (tolerance.scheme === 'exact') {
    out.set(new Uint32Array(values.buffer, values.byteOffset, values.length));
    return new Uint8Array(out.buffer);
  }
  const { mantissaBits, zeroBelowAbs } = tolerance;
  quantiseFloat32Bits(0, mantissaBits, zeroBelowAbs); // validates mantissaBits once
  // quantiseFloat32Bits inlined over the array (same arithmetic, constants hoisted).
  const bitsOf = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const drop = 23 - mantissaBits;
  const half = drop === 0 ? 0 : 2 ** (drop - 1);
  const mask = ~(2 ** drop - 1) >>> 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const bits = bitsOf[i]!;
    if (!Number.isFinite(value)) out[i] = bits;
    else if (Math.abs(value) < zeroBelowAbs) out[i] = 0;
    else if (drop === 0) out[i] = bits;
    else out[i] = ((bits + half) & mask) >>> 0;
  }
  return new Uint8Array(out.buffer);
}

// The bytes hashed, built in one reused buffer and hashed in one call: this runs once per
// inference, where a fresh Hash object and two updates cost about as much as the hashing.
let scratch = new Uint8Array(4096);
const ascii = new TextEncoder();

export function quantisedDigest({ values, dims, tolerance }: QuantisedDigestParameters): string {
  const header = `onesim-output/v1|${tolerance.scheme}|${dims.join(',')}|`;
  const body = valueBytes(values, tolerance);
  const length = header.length * 3 + body.length;
  if (scratch.length < length) scratch = new Uint8Array(length * 2);
  const { written } = ascii.encodeInto(header, scratch);
  scratch.set(body, written);
  return hash('sha256', scratch.subarray(0, written + body.length), 'hex');
}

/**
 * Digest of an input tensor: sha256 over `onesim-input/v1|<element>|<dims>|` + raw LE bytes.
 * `element` defaults to what the array holds (float32 or int64; name bool explicitly).
 */
export function tensorDigest(
  data: ArrayBufferView,
  dims: number[],
  element: string = data instanceof BigInt64Array ? 'int64' : 'float32',
): string {
  const header = `onesim-input/v1|${element}|${dims.join(',')}|`;
  return createHash('sha256')
    .update(header)
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');
}
