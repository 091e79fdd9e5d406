import { createRequire } from 'node:module';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Hex } from '../../protocol/index.ts';

type NativeSign = {
  ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
};

function loadNative(): NativeSign | null {
  try {
    return createRequire(import.meta.url)('secp256k1/bindings') as NativeSign;
  } catch {
    return null;
  }
}
const native = loadNative();

export type DigestSigner = (digest: Uint8Array) => Hex;

/**
 * Signs a 32-byte digest (r‖s‖v, v = 27 + recovery id) with the native secp256k1 prebuild when it
 * loads, else @noble/curves. The issuer already holds each receipt's EIP-712 digest (it is the
 * chain link), so signing the digest saves hashing the receipt a second time.
 */
export function createDigestSigner(privateKey: Hex): DigestSigner {
  const key = Uint8Array.from(Buffer.from(privateKey.slice(2), 'hex'));
  return (digest) => {
    const out = new Uint8Array(65);
    if (native) {
      const s = native.ecdsaSign(digest, key);
      out.set(s.signature, 0);
      out[64] = 27 + s.recid;
    } else {
      const rec = secp256k1.sign(digest, key, { prehash: false, format: 'recovered' });
      out.set(rec.subarray(1), 0);
      out[64] = 27 + rec[0]!;
    }
    return `0x${Buffer.from(out).toString('hex')}`;
  };
}
