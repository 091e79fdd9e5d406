import { keccak_256 } from '@noble/hashes/sha3.js';
import type { Hex } from '../../protocol/index.ts';

/**
 * The OpenZeppelin SimpleMerkleTree over bytes32 leaves (sortLeaves: true), built directly on
 * bytes: same tree layout (leaves at the end of a 2n−1 array, sorted ascending, node i's
 * children at 2i+1 and 2i+2), same node hash (keccak256 of the sorted pair), same root and
 * proofs, so `MerkleProof.verify` and `SimpleMerkleTree.verify` accept them (a test checks
 * this against @openzeppelin/merkle-tree). OZ's own builder abi-encodes and converts to hex
 * per node and per proof, which made batch signing slower than signing receipts one by one.
 */
export type DigestMerkleTree = { root: Hex; proof: (leafIndex: number) => Hex[] };

const bytesOf = (hex: string) => Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
const hexOf = (b: Uint8Array): Hex => `0x${Buffer.from(b).toString('hex')}`;

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const [lo, hi] = compare(a, b) <= 0 ? [a, b] : [b, a];
  pair.set(lo, 0);
  pair.set(hi, 32);
  return keccak_256(pair);
}

/** Builds the tree over `digests` (0x + 64 hex each); `proof(i)` proves digests[i]. */
export function buildDigestMerkleTree(digests: readonly Hex[]): DigestMerkleTree {
  const n = digests.length;
  if (n === 0) throw new RangeError('buildDigestMerkleTree: no leaves');
  const leaves = digests.map((d, index) => ({ index, bytes: bytesOf(d) }));
  leaves.sort((a, b) => compare(a.bytes, b.bytes));
  const tree: Uint8Array[] = new Array(2 * n - 1);
  const treeIndexOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    tree[tree.length - 1 - i] = leaves[i]!.bytes;
    treeIndexOf[leaves[i]!.index] = tree.length - 1 - i;
  }
  for (let i = tree.length - 1 - n; i >= 0; i--)
    tree[i] = hashPair(tree[2 * i + 1]!, tree[2 * i + 2]!);
  return {
    root: hexOf(tree[0]!),
    proof(leafIndex) {
      const out: Hex[] = [];
      for (let i = treeIndexOf[leafIndex]!; i > 0; i = (i - 1) >> 1)
        out.push(hexOf(tree[i % 2 === 1 ? i + 1 : i - 1]!));
      return out;
    },
  };
}

/** Folds a proof from the leaf up (OZ processProof); true when it reaches `root`. */
export function verifyDigestProof(p: { root: Hex; leaf: Hex; proof: readonly Hex[] }): boolean {
  let node: Uint8Array = bytesOf(p.leaf);
  for (const sibling of p.proof) node = hashPair(node, bytesOf(sibling));
  return hexOf(node) === p.root.toLowerCase();
}
