import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { encodePacked, keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import { addr } from '../testing/fixtures.ts';
import type { Address, Hex } from '../types.ts';
import { drawCommittee, epochRandomness, isSampled } from './audit.ts';

// Written for surviving mutants (docs/auditing.md): audit randomness, sampling and committees
// against the Solidity encodings they stand for (viem's encodePacked + keccak256, and sha256).
const seed = Number(process.env.ONESIM_FC_SEED ?? 20261121);
const hex32 = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
const first8 = (hex: string) => BigInt(`0x${hex.slice(2, 18)}`);

describe('audit randomness', () => {
  it('epochRandomness = keccak256(abi.encodePacked(bytes32 root, uint256 epoch))', () => {
    fc.assert(
      fc.property(hex32, fc.integer({ min: 0, max: 2 ** 40 }), (root, epoch) => {
        expect(epochRandomness(root, epoch)).toBe(
          keccak256(encodePacked(['bytes32', 'uint256'], [root, BigInt(epoch)])),
        );
      }),
      { seed, numRuns: 100 },
    );
    // A short root is left-padded like a uint (the genesis root is 0x00…0).
    expect(epochRandomness('0x01', 7)).toBe(
      keccak256(encodePacked(['bytes32', 'uint256'], [`0x${'0'.repeat(63)}1`, 7n])),
    );
  });

  it('isSampled: first 8 bytes of sha256(randomness ‖ receiptId) mod den < num; 0 never, ≥ 1 always', () => {
    fc.assert(
      fc.property(
        hex32,
        hex32,
        hex32,
        // Small denominators (the int32 path below 2^15, the exact double path to 2^21) and
        // large ones (the bigint path).
        fc.oneof(
          fc.bigInt(1n, 1000n),
          fc.bigInt(2n ** 14n, 2n ** 16n),
          fc.bigInt(2n ** 20n, 2n ** 22n),
          fc.bigInt(2n ** 22n, 2n ** 64n),
        ),
        fc.bigInt(0n, 2n ** 64n),
        (r1, r2, id, den, n) => {
          const num = n % den;
          const want = (r: Hex) => {
            const h = createHash('sha256')
              .update(Buffer.from(r.slice(2) + id.slice(2), 'hex'))
              .digest('hex');
            return num > 0n && BigInt(`0x${h.slice(0, 16)}`) % den < num;
          };
          // The simulator's receipt ids are 8 bytes: left-padded to a word.
          const short = `0x${id.slice(50)}` as Hex;
          const padded = `0x${'0'.repeat(48)}${id.slice(50)}`;
          const hShort = createHash('sha256')
            .update(Buffer.from(r1.slice(2) + padded.slice(2), 'hex'))
            .digest('hex');
          expect(isSampled(r1, short, { num, den })).toBe(
            num > 0n && BigInt(`0x${hShort.slice(0, 16)}`) % den < num,
          );
          // Upper-case digits are the same bytes (as Buffer reads hex).
          expect(isSampled(r1, `0x${short.slice(2).toUpperCase()}` as Hex, { num, den })).toBe(
            isSampled(r1, short, { num, den }),
          );
          // Alternating randomness exercises the cached word.
          expect(isSampled(r1, id, { num, den })).toBe(want(r1));
          expect(isSampled(r2, id, { num, den })).toBe(want(r2));
          expect(isSampled(r1, id, { num, den })).toBe(want(r1));
          expect(isSampled(r1, id, { num: den, den })).toBe(true);
          expect(isSampled(r1, id, { num: den + 1n, den })).toBe(true);
          expect(isSampled(r1, id, { num: 0n, den })).toBe(false);
        },
      ),
      { seed, numRuns: 100 },
    );
  });

  it('drawCommittee: k distinct oracles by keccak256(randomness ‖ jobId ‖ i), in sorted order', () => {
    const reference = (r: Hex, jobId: number, oracles: Address[], k: number) => {
      const sorted = [...oracles].sort();
      if (k >= sorted.length) return sorted;
      const picked = new Set<number>();
      for (let i = 0; picked.size < k; i++) {
        const h = keccak256(
          encodePacked(['bytes32', 'uint256', 'uint256'], [r, BigInt(jobId), BigInt(i)]),
        );
        picked.add(Number(first8(h) % BigInt(sorted.length)));
      }
      return [...picked].sort((a, b) => a - b).map((i) => sorted[i]!);
    };
    fc.assert(
      fc.property(
        hex32,
        fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.maxSafeNat()),
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (r, jobId, ids, k) => {
          const oracles = ids.map((i) => addr(i, 4));
          const c = drawCommittee(r, jobId, oracles, k);
          expect(c).toEqual(reference(r, jobId, oracles, k));
          expect(c).toHaveLength(Math.min(k, oracles.length));
          expect(new Set(c).size).toBe(c.length);
          expect([...c].sort()).toEqual(c);
        },
      ),
      { seed, numRuns: 150 },
    );
  });
});
