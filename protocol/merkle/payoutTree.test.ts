import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { describe, expect, it } from 'vitest';
import type { Address } from '../types.ts';
import { buildPayoutTree, EMPTY_ROOT, verifyPayoutProof } from './payoutTree.ts';

const w = (i: number) => `0x${i.toString(16).padStart(40, '0')}` as Address;

describe('payout Merkle trees', () => {
  it('proofs from the tree verify with MerkleProof’s sorted-pair rule, for 1..17 leaves', () => {
    for (let n = 1; n <= 17; n++) {
      const payouts = new Map<Address, bigint>();
      for (let i = 1; i <= n; i++) payouts.set(w(i), BigInt(i * 1_000 + 7));
      const tree = buildPayoutTree(payouts);
      for (const [worker, amount] of payouts) {
        const proof = tree.proof(worker, amount);
        expect(verifyPayoutProof(tree.root, worker, amount, proof)).toBe(true);
        expect(
          StandardMerkleTree.verify(
            tree.root,
            ['address', 'uint256'],
            [worker, amount.toString()],
            proof,
          ),
        ).toBe(true);
        expect(verifyPayoutProof(tree.root, worker, amount + 1n, proof)).toBe(false);
        expect(verifyPayoutProof(tree.root, w(99), amount, proof)).toBe(false);
      }
    }
  });

  it('the root does not depend on insertion order', () => {
    const a = new Map<Address, bigint>([
      [w(1), 5n],
      [w(2), 6n],
      [w(3), 7n],
    ]);
    const b = new Map<Address, bigint>([
      [w(3), 7n],
      [w(1), 5n],
      [w(2), 6n],
    ]);
    expect(buildPayoutTree(a).root).toBe(buildPayoutTree(b).root);
    expect(buildPayoutTree(new Map()).root).toBe(EMPTY_ROOT);
  });
});

describe('payout tree edges', () => {
  it('the empty tree has the all-zero root and empty proofs; an unknown leaf has no proof', () => {
    expect(EMPTY_ROOT).toBe(`0x${'00'.repeat(32)}`);
    expect(buildPayoutTree(new Map()).proof(w(1), 1n)).toEqual([]);
    const tree = buildPayoutTree(new Map([[w(1), 5n]]));
    expect(tree.proof(w(1), 5n)).toEqual([]);
    expect(() => tree.proof(w(1), 6n)).toThrow(RangeError);
    expect(() => tree.proof(w(2), 5n)).toThrow(`no payout leaf for ${w(2)} = 5`);
  });

  it('a proof element that is not exactly 0x + 64 hex digits fails, even if it parses', () => {
    const payouts = new Map<Address, bigint>([
      [w(1), 5n],
      [w(2), 6n],
      [w(3), 7n],
    ]);
    const tree = buildPayoutTree(payouts);
    const proof = tree.proof(w(1), 5n);
    expect(verifyPayoutProof(tree.root, w(1), 5n, proof)).toBe(true);
    // Buffer.from(…, 'hex') stops at the first non-hex pair, so each of these would still
    // decode to the right sibling if the format check were loose.
    const [first, ...rest] = proof as [string, ...string[]];
    for (const bad of [`${first}zz`, `${first}00`, `0x${first.slice(2)}0x${'ab'.repeat(32)}`]) {
      expect(verifyPayoutProof(tree.root, w(1), 5n, [bad as never, ...(rest as never[])])).toBe(
        false,
      );
    }
    expect(
      verifyPayoutProof(tree.root.toUpperCase().replace('0X', '0x') as never, w(1), 5n, proof),
    ).toBe(true);
  });
});

describe('payout tree layout', () => {
  it('has the same root and proofs as OpenZeppelin’s StandardMerkleTree', () => {
    for (let n = 1; n <= 33; n += 4) {
      const payouts = new Map<Address, bigint>();
      for (let i = 1; i <= n; i++) payouts.set(w(i * 7919), BigInt(i * 31 + 1));
      const ours = buildPayoutTree(payouts);
      const oz = StandardMerkleTree.of(
        [...payouts].map(([a, v]) => [a, v.toString()]),
        ['address', 'uint256'],
      );
      expect(ours.root).toBe(oz.root);
      for (const [i, v] of oz.entries())
        expect(ours.proof(v[0] as Address, BigInt(v[1]!))).toEqual(oz.getProof(i));
    }
  });
});
