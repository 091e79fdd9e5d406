import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutputTolerance } from './modelSpec.ts';
import { quantisedDigest, quantiseFloat32Bits, tensorDigest } from './quantisedDigest.ts';

const tolerance: OutputTolerance = {
  scheme: 'float32-round',
  mantissaBits: 10,
  zeroBelowAbs: 1e-4,
};
const base = Float32Array.from([0.7042688, -1.3620305, 0.5371521, -0.8402376, 3.25, 0.0]);
const digest = (values: Float32Array) =>
  quantisedDigest({ values, dims: [1, values.length], tolerance });

describe('quantisedDigest', () => {
  it('ignores float noise far below the tolerance', () => {
    const noisy = base.map((v, i) => v * (1 + (i % 2 ? 1 : -1) * 3e-7) + (v === 0 ? 2e-6 : 0));
    expect(digest(Float32Array.from(noisy))).toBe(digest(base));
  });

  it('changes for real changes', () => {
    const changed = Float32Array.from(base);
    changed[2] = changed[2]! * 1.01;
    expect(digest(changed)).not.toBe(digest(base));
    expect(quantisedDigest({ values: base, dims: [6], tolerance })).not.toBe(digest(base));
  });

  it('rounds the mantissa half-up on the bit pattern, carrying into the exponent', () => {
    // 1 + 2^-11 sits exactly halfway at 10 mantissa bits: rounds up to 1 + 2^-10.
    expect(quantiseFloat32Bits(1 + 2 ** -11, 10, 0)).toBe(quantiseFloat32Bits(1 + 2 ** -10, 23, 0));
    expect(quantiseFloat32Bits(2 - 2 ** -20, 10, 0)).toBe(quantiseFloat32Bits(2, 23, 0));
    expect(quantiseFloat32Bits(-5e-5, 10, 1e-4)).toBe(0);
  });

  it('hashes arrays exactly as the per-value rule says (the fast path matches quantiseFloat32Bits)', () => {
    // The digest's documented definition, spelled out with the scalar function.
    const byDefinition = (
      values: Float32Array,
      t: Extract<OutputTolerance, { mantissaBits: number }>,
    ) => {
      const words = Uint32Array.from(values, (v) =>
        quantiseFloat32Bits(v, t.mantissaBits, t.zeroBelowAbs),
      );
      return createHash('sha256')
        .update(`onesim-output/v1|${t.scheme}|${values.length}|`)
        .update(new Uint8Array(words.buffer))
        .digest('hex');
    };
    fc.assert(
      fc.property(
        fc.float32Array({ maxLength: 40 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 1e-6, 1e-4, 1),
        (values, mantissaBits, zeroBelowAbs) => {
          const t = { scheme: 'float32-round' as const, mantissaBits, zeroBelowAbs };
          expect(quantisedDigest({ values, dims: [values.length], tolerance: t })).toBe(
            byDefinition(values, t),
          );
        },
      ),
      { seed: 1, numRuns: 300 },
    );
  });

  it('hashes token ids exactly and inputs with their shape', () => {
    const exact: OutputTolerance = { scheme: 'exact' };
    expect(quantisedDigest({ values: [1, 2, 3], dims: [3], tolerance: exact })).not.toBe(
      quantisedDigest({ values: [1, 2, 4], dims: [3], tolerance: exact }),
    );
    const data = Float32Array.from([1, 2, 3, 4]);
    expect(tensorDigest(data, [1, 4])).not.toBe(tensorDigest(data, [2, 2]));
  });
});
