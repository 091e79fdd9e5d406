import { createRequire } from 'node:module';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { keccak256 } from '../keccak.ts';
import type { Address, Hex } from '../types.ts';

/**
 * secp256k1 for everything onesim signs or recovers (EIP-712 receipts and attestations, the
 * harness's receipts, the live driver's transactions): the native binding when its prebuild
 * loads (about 10× faster), else @noble/curves (pure JS). Both sign deterministically (RFC 6979,
 * low s), so the choice never changes a signature.
 */
interface NativeSecp {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
}
function loadNative(): NativeSecp | null {
  try {
    return createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp;
  } catch {
    return null;
  }
}
const native = loadNative();

export type Secp256k1Backend = 'native' | 'noble';
export const secp256k1NativeAvailable = native !== null;

/** The backend a request gets: 'native' only when asked for (the default) and the prebuild loads. */
export const secp256k1Backend = (wanted: Secp256k1Backend = 'native'): Secp256k1Backend =>
  wanted === 'native' && native ? 'native' : 'noble';

export const hexToBytes = (hex: string): Uint8Array =>
  Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));

const bytesToHex = (b: Uint8Array): Hex => `0x${Buffer.from(b).toString('hex')}` as Hex;

/** address = last 20 bytes of keccak256(uncompressed public key without its 0x04 prefix). */
export function publicKeyToAddress(uncompressed: Uint8Array): Address {
  return bytesToHex(keccak256(uncompressed.subarray(1)).subarray(12)) as Address;
}

/** The (lower-case) address of a 32-byte private key. */
export const addressOfPrivateKey = (key: Uint8Array): Address =>
  publicKeyToAddress(noble.getPublicKey(key, false));

/** Signs a 32-byte digest: 65 bytes r ‖ s ‖ v, v = 27 + recovery id. */
export function signDigest(
  digest: Uint8Array,
  key: Uint8Array,
  backend: Secp256k1Backend = 'native',
): Uint8Array {
  const out = new Uint8Array(65);
  if (secp256k1Backend(backend) === 'native') {
    const s = native!.ecdsaSign(digest, key);
    out.set(s.signature, 0);
    out[64] = 27 + s.recid;
  } else {
    // noble's "recovered" format is recid ‖ r ‖ s.
    const rec = noble.sign(digest, key, { prehash: false, format: 'recovered' });
    out.set(rec.subarray(1), 0);
    out[64] = 27 + rec[0]!;
  }
  return out;
}

/** ecrecover over a 32-byte digest and a 65-byte r‖s‖v signature; null when invalid. */
export function recoverAddress(
  digest: Uint8Array,
  signature: Hex,
  backend: Secp256k1Backend,
): Address | null {
  if (signature.length !== 132) return null;
  const sig = hexToBytes(signature);
  const v = sig[64]!;
  const recid = v >= 27 ? v - 27 : v;
  if (recid !== 0 && recid !== 1) return null;
  try {
    if (secp256k1Backend(backend) === 'native') {
      return publicKeyToAddress(native!.ecdsaRecover(sig.subarray(0, 64), recid, digest, false));
    }
    const recovered = new Uint8Array(65);
    recovered[0] = recid;
    recovered.set(sig.subarray(0, 64), 1);
    const pub = noble.recoverPublicKey(recovered, digest, { prehash: false });
    return publicKeyToAddress(noble.Point.fromBytes(pub).toBytes(false));
  } catch {
    return null;
  }
}

/** Whether `signature` over `digest` was made by `signer`'s key. */
export const verifyDigestSignature = (
  digest: Uint8Array,
  signature: Hex,
  signer: Address,
  backend: Secp256k1Backend,
): boolean => recoverAddress(digest, signature, backend) === signer.toLowerCase();
