import { createHash } from 'node:crypto';
import { SimpleMerkleTree } from '@openzeppelin/merkle-tree';
import { describe, expect, it } from 'vitest';
import type { Hex } from '../../protocol/index.ts';
import { buildDigestMerkleTree, verifyDigestProof } from './digestMerkleTree.ts';

const digest = (i: number): Hex => `0x${createHash('sha256').update(`leaf${i}`).digest('hex')}`;

describe('buildDigestMerkleTree', () => {
  for (const n of [1, 2, 3, 5, 8, 13]) {
    it(`${n} leaves: same root and proofs as OpenZeppelin's SimpleMerkleTree`, () => {
      const leaves = Array.from({ length: n }, (_, i) => digest(i));
      const ours = buildDigestMerkleTree(leaves);
      const oz = SimpleMerkleTree.of(leaves);
      expect(ours.root).toBe(oz.root);
      for (let i = 0; i < n; i++) {
        expect(ours.proof(i)).toEqual(oz.getProof(i));
        expect(SimpleMerkleTree.verify(ours.root, leaves[i]!, ours.proof(i))).toBe(true);
        expect(verifyDigestProof({ root: ours.root, leaf: leaves[i]!, proof: ours.proof(i) })).toBe(
          true,
        );
      }
      expect(verifyDigestProof({ root: ours.root, leaf: digest(99), proof: ours.proof(0) })).toBe(
        false,
      );
    });
  }
});
