import type { Hex } from '../types.ts';
import { defaultReceiptDomain, type ReceiptDomain } from './eip712.ts';
import { createAttestationHasher, createReceiptHasher, toHex } from './hashReceipt.ts';
import type {
  Attestation,
  AttestationBody,
  Receipt,
  ReceiptSigner,
  ReceiptVerifier,
} from './receipt.ts';
import {
  addressOfPrivateKey,
  hexToBytes,
  type Secp256k1Backend,
  secp256k1Backend,
  signDigest,
  verifyDigestSignature,
} from './secp256k1.ts';

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
  const backend = secp256k1Backend(p.backend);
  return {
    name: `eip712-secp256k1 (${backend})`,
    backend,
    receiptId: (r: Receipt) => toHex(hasher(r)),
    verify: (r, signature, receiptId) =>
      verifyDigestSignature(hexToBytes(receiptId), signature, r.worker, backend),
    verifyAttestation: (a: Attestation) =>
      verifyDigestSignature(attestationHasher(a), a.signature, a.attestor, backend),
  };
}

/** An attestor signs an EIP-712 attestation with its private key. */
export function signAttestation(
  privateKey: Hex,
  body: AttestationBody,
  domain: ReceiptDomain = defaultReceiptDomain,
): Attestation {
  const key = hexToBytes(privateKey);
  const attestor = addressOfPrivateKey(key);
  const out = signDigest(createAttestationHasher(domain)(body), key);
  return { ...body, attestor, signature: toHex(out) };
}

/** Signs receipts with a private key (32-byte hex); the worker address is derived from it. */
export function createSecp256k1Signer(
  privateKey: Hex,
  domain: ReceiptDomain = defaultReceiptDomain,
): ReceiptSigner {
  const key = hexToBytes(privateKey);
  const worker = addressOfPrivateKey(key);
  const hasher = createReceiptHasher(domain);
  return {
    worker,
    sign: (receipt) => toHex(signDigest(hasher(receipt), key)),
  };
}
