import { keccak_256 } from '@noble/hashes/sha3.js';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { toHex } from '../receipts/hashReceipt.ts';
import type { Address, Hex } from '../types.ts';

/**
 * Payout trees are OpenZeppelin "standard" Merkle trees over (address worker, uint256 amount):
 * leaves are double-hashed and pairs sorted, so MerkleProof.verify on chain accepts the proofs.
 */
export const payoutLeafEncoding = ['address', 'uint256'] as const;

export const EMPTY_ROOT: Hex = `0x${'0'.repeat(64)}`;

export interface PayoutTree {
  root: Hex;
  proof(worker: Address, amountMicroUsdc: bigint): Hex[];
}

/** Builds the tree for one epoch's payouts (any order in, canonical tree out). */
export function buildPayoutTree(payouts: Map<Address, bigint>): PayoutTree {
  if (payouts.size === 0) return { root: EMPTY_ROOT, proof: () => [] };
  const values = [...payouts].map(([w, a]) => [w, a.toString()]);
  const tree = StandardMerkleTree.of(values, [...payoutLeafEncoding]);
  const index = new Map<string, number>();
  for (const [i, v] of tree.entries()) index.set(`${v[0]}:${v[1]}`, i);
  return {
    root: tree.root as Hex,
    proof(worker, amount) {
      const i = index.get(`${worker}:${amount}`);
      if (i === undefined) throw new RangeError(`no payout leaf for ${worker} = ${amount}`);
      return tree.getProof(i) as Hex[];
    },
  };
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2).padStart(64, '0'), 'hex'));
}

/** keccak256(bytes.concat(keccak256(abi.encode(worker, amount)))), as the contract computes it. */
export function payoutLeaf(worker: Address, amountMicroUsdc: bigint): Uint8Array {
  const enc = new Uint8Array(64);
  enc.set(hexBytes(worker), 0);
  enc.set(hexBytes(`0x${amountMicroUsdc.toString(16)}`), 32);
  return keccak_256(keccak_256(enc));
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** MerkleProof.processProof: hash sorted pairs up to the root. Written out to check OZ's tree. */
export function verifyPayoutProof(
  root: Hex,
  worker: Address,
  amountMicroUsdc: bigint,
  proof: Hex[],
): boolean {
  let node = payoutLeaf(worker, amountMicroUsdc);
  for (const sibling of proof) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(sibling)) return false;
    const s = hexBytes(sibling);
    const pair = new Uint8Array(64);
    const [lo, hi] = compare(node, s) <= 0 ? [node, s] : [s, node];
    pair.set(lo, 0);
    pair.set(hi, 32);
    node = keccak_256(pair);
  }
  return toHex(node) === root.toLowerCase();
}
