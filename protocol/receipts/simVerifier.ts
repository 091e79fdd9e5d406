import type { Address, Hex } from '../types.ts';
import type { Receipt, ReceiptSigner, ReceiptVerifier } from './receipt.ts';

/**
 * A cheap, deterministic stand-in for secp256k1 used by the simulator: a receipt's id is a
 * 64-bit FNV-style hash of its fields and a "signature" is a keyed hash of that id with the
 * worker's address. It detects every field change and a wrong signer, but it is NOT secure:
 * anyone can forge it. Tests and live mode use `createSecp256k1Verifier`.
 */
function hash64(text: string, seed: number): string {
  let h1 = 0x811c9dc5 ^ seed;
  let h2 = 0x01000193 ^ Math.imul(seed, 0x9e3779b1);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ h2;
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35) ^ h1;
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

function fieldsText(r: Receipt): string {
  return `${r.jobId}|${r.lane}|${r.requester}|${r.model}|${r.worker}|${r.requestHash}|${r.resultHash}|${r.units}|${r.price}|${r.finishedAt}|${r.prev}`;
}

export function simReceiptId(r: Receipt): Hex {
  const text = fieldsText(r);
  return `0x${hash64(text, 1)}${hash64(text, 2)}`;
}

function simTag(worker: Address, receiptId: Hex): Hex {
  return `0x${hash64(`${worker}${receiptId}`, 3)}`;
}

export const simVerifier: ReceiptVerifier = {
  name: 'sim-fnv (not secure)',
  receiptId: simReceiptId,
  verify: (receipt, signature, receiptId) => signature === simTag(receipt.worker, receiptId),
};

export function createSimSigner(worker: Address): ReceiptSigner {
  return { worker, sign: (receipt) => simTag(worker, simReceiptId(receipt)) };
}
