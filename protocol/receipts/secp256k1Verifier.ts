import { createRequire } from 'node:module';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { Address, Hex } from '../types.ts';
import { defaultReceiptDomain, type ReceiptDomain } from './eip712.ts';
import { createAttestationHasher, createReceiptHasher, toHex } from './hashReceipt.ts';
import type {
  Attestation,
  AttestationBody,
  Receipt,
  ReceiptSigner,
  ReceiptVerifier,
} from './receipt.ts';

/** The native secp256k1 binding's recover, when its prebuild loads; otherwise null. */
interface NativeSecp {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
}
function loadNative(): NativeSecp | null {
  try {
    const require = createRequire(import.meta.url);
    return require('secp256k1/bindings') as NativeSecp;
  } catch {
    return null;
  }
}
const native = loadNative();

export type Secp256k1Backend = 'native' | 'noble';
export const secp256k1NativeAvailable = native !== null;

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}

/** address = last 20 bytes of keccak256(uncompressed public key without its 0x04 prefix). */
export function publicKeyToAddress(uncompressed: Uint8Array): Address {
  return toHex(keccak_256(uncompressed.subarray(1)).subarray(12)) as Address;
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
    if (backend === 'native' && native) {
      return publicKeyToAddress(native.ecdsaRecover(sig.subarray(0, 64), recid, digest, false));
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

export interface CreateSecp256k1VerifierParameters {
  domain?: ReceiptDomain;
  /** 'native' falls back to 'noble' (pure JS) when the prebuild does not load. */
  backend?: Secp256k1Backend;
}

/** EIP-712 receipts with ecrecover: the id is the typed-data digest; the signer must be `worker`. */
export function createSecp256k1Verifier(
  p: CreateSecp256k1VerifierParameters = {},
): ReceiptVerifier & {
  backend: Secp256k1Backend;
} {
  const hasher = createReceiptHasher(p.domain ?? defaultReceiptDomain);
  const attestationHasher = createAttestationHasher(p.domain ?? defaultReceiptDomain);
  const backend: Secp256k1Backend = p.backend === 'noble' || !native ? 'noble' : 'native';
  return {
    name: `eip712-secp256k1 (${backend})`,
    backend,
    receiptId: (r: Receipt) => toHex(hasher(r)),
    verify: (r, signature, receiptId) =>
      recoverAddress(hexToBytes(receiptId), signature, backend) === r.worker.toLowerCase(),
    verifyAttestation: (a: Attestation) =>
      recoverAddress(attestationHasher(a), a.signature, backend) === a.attestor.toLowerCase(),
  };
}

/** An attestor signs an EIP-712 attestation with its private key. */
export function signAttestation(
  privateKey: Hex,
  body: AttestationBody,
  domain: ReceiptDomain = defaultReceiptDomain,
): Attestation {
  const key = hexToBytes(privateKey);
  const attestor = publicKeyToAddress(noble.getPublicKey(key, false));
  const rec = noble.sign(createAttestationHasher(domain)(body), key, {
    prehash: false,
    format: 'recovered',
  });
  const out = new Uint8Array(65);
  out.set(rec.subarray(1), 0);
  out[64] = 27 + rec[0]!;
  return { ...body, attestor, signature: toHex(out) };
}

/** Signs receipts with a private key (32-byte hex); the worker address is derived from it. */
export function createSecp256k1Signer(
  privateKey: Hex,
  domain: ReceiptDomain = defaultReceiptDomain,
): ReceiptSigner {
  const key = hexToBytes(privateKey);
  const worker = publicKeyToAddress(noble.getPublicKey(key, false));
  const hasher = createReceiptHasher(domain);
  return {
    worker,
    sign(receipt) {
      const digest = hasher(receipt);
      let sig64: Uint8Array;
      let recid: number;
      if (native) {
        const out = native.ecdsaSign(digest, key);
        sig64 = out.signature;
        recid = out.recid;
      } else {
        const rec = noble.sign(digest, key, { prehash: false, format: 'recovered' });
        recid = rec[0]!;
        sig64 = rec.subarray(1);
      }
      const out = new Uint8Array(65);
      out.set(sig64, 0);
      out[64] = 27 + recid;
      return toHex(out);
    },
  };
}
