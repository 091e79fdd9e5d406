import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  type Address,
  domainSeparator,
  type Hex,
  type ReceiptDomain,
  recoverAddress,
} from '../../protocol/index.ts';
import { buildDigestMerkleTree, verifyDigestProof } from './digestMerkleTree.ts';
import { createDigestSigner } from './signDigest.ts';

/**
 * Batch signing: one secp256k1 signature per batch instead of one per receipt. The leaves are
 * the receipts' EIP-712 digests themselves, in an OpenZeppelin SimpleMerkleTree (sorted leaves
 * and pairs, keccak256, no leaf re-hashing; built by digestMerkleTree.ts), so `MerkleProof.verify(proof, root, receiptDigest)` accepts
 * the proofs on chain. Leaves cannot pose as inner nodes: a digest is keccak of a 66-byte
 * message (0x1901 ‖ domain ‖ struct), an inner node keccak of 64 bytes. The worker signs the
 * EIP-712 struct `ReceiptBatch(bytes32 root,uint256 count)` in the receipts' domain, never a
 * bare root, so the signature cannot be replayed as anything else.
 */
export const receiptBatchTypeString = 'ReceiptBatch(bytes32 root,uint256 count)';
const BATCH_TYPE_HASH = keccak_256(new TextEncoder().encode(receiptBatchTypeString));

/** Bounds the memory held by an open batch and the proof length (≤ 16 siblings). */
export const batchSizeMax = 65_536;

export type BatchProof = {
  /** Position of the receipt in its batch. */
  index: number;
  size: number;
  root: Hex;
  proof: Hex[];
  /** secp256k1 r‖s‖v over the ReceiptBatch digest. */
  signature: Hex;
};

const hexBytes = (hex: string) => Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));

/** keccak256(0x1901 ‖ domainSeparator ‖ keccak256(typeHash ‖ root ‖ count)). */
export function receiptBatchDigest(domain: ReceiptDomain, root: Hex, count: number): Uint8Array {
  const struct = new Uint8Array(96);
  struct.set(BATCH_TYPE_HASH, 0);
  struct.set(hexBytes(root), 32);
  new DataView(struct.buffer).setBigUint64(88, BigInt(count));
  const message = new Uint8Array(66);
  message.set([0x19, 0x01], 0);
  message.set(domainSeparator(domain), 2);
  message.set(keccak_256(struct), 34);
  return keccak_256(message);
}

export type SignReceiptBatchParameters = { digests: Hex[]; privateKey: Hex; domain: ReceiptDomain };

/** Builds the tree over `digests` (receipt order) and signs its root: one proof per receipt. */
export function signReceiptBatch(p: SignReceiptBatchParameters): BatchProof[] {
  const size = p.digests.length;
  if (size < 1 || size > batchSizeMax)
    throw new RangeError(`batch size: expected 1..${batchSizeMax}, got ${size}`);
  const tree = buildDigestMerkleTree(p.digests);
  const root = tree.root;
  const sig = createDigestSigner(p.privateKey)(receiptBatchDigest(p.domain, root, size));
  return p.digests.map((_, index) => ({
    index,
    size,
    root,
    proof: tree.proof(index),
    signature: sig,
  }));
}

export type VerifyBatchProofParameters = { digest: Hex; batch: BatchProof };

/** True when the receipt digest is a leaf of `batch.root` by `batch.proof`. */
export function verifyBatchInclusion({ digest, batch }: VerifyBatchProofParameters): boolean {
  try {
    return verifyDigestProof({ root: batch.root, leaf: digest, proof: batch.proof });
  } catch {
    return false;
  }
}

/** The address that signed the batch root (null for a malformed signature). */
export function recoverBatchSigner(p: {
  domain: ReceiptDomain;
  batch: BatchProof;
  backend: 'native' | 'noble';
}): Address | null {
  return recoverAddress(
    receiptBatchDigest(p.domain, p.batch.root, p.batch.size),
    p.batch.signature,
    p.backend,
  );
}
