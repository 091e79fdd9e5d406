import type { Hex } from '../../protocol/index.ts';
import { signDigest } from '../../protocol/receipts/secp256k1.ts';

export type DigestSigner = (digest: Uint8Array) => Hex;

/**
 * Signs a 32-byte digest (r‖s‖v, v = 27 + recovery id) with protocol/receipts/secp256k1.ts (the
 * native prebuild when it loads, else @noble/curves). The issuer already holds each receipt's
 * EIP-712 digest (it is the chain link), so signing the digest saves hashing the receipt a second
 * time.
 */
export function createDigestSigner(privateKey: Hex): DigestSigner {
  const key = Uint8Array.from(Buffer.from(privateKey.slice(2), 'hex'));
  return (digest) => `0x${Buffer.from(signDigest(digest, key)).toString('hex')}`;
}
