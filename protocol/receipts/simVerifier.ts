import type { Address, Hex } from '../types.ts';
import type {
  Attestation,
  AttestationBody,
  Receipt,
  ReceiptSigner,
  ReceiptVerifier,
} from './receipt.ts';

/**
 * A cheap, deterministic stand-in for secp256k1 used by the simulator: a receipt's id is a
 * 64-bit FNV-style hash of its fields (the worker's address and the model id by their remembered
 * digests) and a "signature" is a keyed hash of that id with the worker's address. It detects
 * every field change and a wrong signer, but it is NOT secure: anyone can forge it. Tests and
 * live mode use `createSecp256k1Verifier`.
 */
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const word = (x: number): string =>
  BYTE_HEX[(x >>> 24) & 255]! +
  BYTE_HEX[(x >>> 16) & 255]! +
  BYTE_HEX[(x >>> 8) & 255]! +
  BYTE_HEX[x & 255]!;

/** Decimal digits of a number, least significant first (addInt's scratch). */
const DIGITS = new Uint8Array(16);

/** Two 32-bit multiplicative lanes over a sequence of strings, in one pass without concatenation. */
export class Hash64 {
  h1 = 0x811c9dc5;
  h2 = 0x9e3779b1;
  add(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    // A separator so that field boundaries count ("ab"+"c" ≠ "a"+"bc").
    this.h1 = Math.imul(h1 ^ 0x7c, 0x01000193);
    this.h2 = Math.imul(h2 ^ 0x7c, 0x5bd1e995);
    return this;
  }
  /** Same as add(String(n)), without building the string (n an integer or bigint). */
  addInt(n: number | bigint): this {
    const v = typeof n === 'bigint' && n >= 0n && n <= 9007199254740991n ? Number(n) : n;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return this.add(String(n));
    let len = 0;
    let x = v;
    // Digits past 31 bits by double division; the rest in int32, where / 10 | 0 is a multiply.
    while (x > 0x7fffffff) {
      DIGITS[len++] = 48 + (x % 10);
      x = Math.floor(x / 10);
    }
    let y = x | 0;
    do {
      const q = (y / 10) | 0;
      DIGITS[len++] = 48 + (y - q * 10);
      y = q;
    } while (y > 0);
    let h1 = this.h1;
    let h2 = this.h2;
    while (len > 0) {
      const c = DIGITS[--len]!;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.h1 = Math.imul(h1 ^ 0x7c, 0x01000193);
    this.h2 = Math.imul(h2 ^ 0x7c, 0x5bd1e995);
    return this;
  }
  /**
   * Folds a string's own 64-bit digest (Hash64 of it alone) instead of its characters: for
   * strings that recur (workers' addresses, model ids), whose digests are remembered.
   */
  addDigest(text: string): this {
    let d = digests.get(text);
    if (d === undefined) {
      const h = new Hash64().add(text);
      d = [h.a(), h.b()];
      if (digests.size >= 1 << 16) digests.clear();
      digests.set(text, d);
    }
    return this.fold(d[0]).fold(d[1]);
  }
  /** Folds a 32-bit word; above 0xffff it cannot be a character, so it marks a choice. */
  fold(w: number): this {
    this.h1 = Math.imul(this.h1 ^ w, 0x01000193);
    const h2 = Math.imul(this.h2 ^ w, 0x5bd1e995);
    this.h2 = h2 ^ (h2 >>> 15);
    return this;
  }
  private a(): number {
    return Math.imul(this.h1 ^ (this.h1 >>> 16), 0x85ebca6b) ^ this.h2;
  }
  private b(): number {
    return Math.imul(this.h2 ^ (this.h2 >>> 13), 0xc2b2ae35) ^ this.a();
  }
  hex(): string {
    return word(this.a()) + word(this.b());
  }
  /**
   * `0x${hex()}` as one flat string. Built by concatenation it would be a rope (V8 makes one
   * of any concatenation of 13 characters or more), and every later character-by-character
   * read of it (the next receipt hashes this one as `prev`) costs about twice as much.
   */
  id(): Hex {
    const a = this.a();
    const b = this.b();
    return String.fromCharCode(
      48,
      120,
      HEX_CODE[a >>> 28]!,
      HEX_CODE[(a >>> 24) & 15]!,
      HEX_CODE[(a >>> 20) & 15]!,
      HEX_CODE[(a >>> 16) & 15]!,
      HEX_CODE[(a >>> 12) & 15]!,
      HEX_CODE[(a >>> 8) & 15]!,
      HEX_CODE[(a >>> 4) & 15]!,
      HEX_CODE[a & 15]!,
      HEX_CODE[b >>> 28]!,
      HEX_CODE[(b >>> 24) & 15]!,
      HEX_CODE[(b >>> 20) & 15]!,
      HEX_CODE[(b >>> 16) & 15]!,
      HEX_CODE[(b >>> 12) & 15]!,
      HEX_CODE[(b >>> 8) & 15]!,
      HEX_CODE[(b >>> 4) & 15]!,
      HEX_CODE[b & 15]!,
    ) as Hex;
  }
}

/** Character codes of the hex digits 0-9a-f. */
const HEX_CODE = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Digests of recurring strings (bounded: cleared past 65,536; only speed depends on it). */
const digests = new Map<string, readonly [number, number]>();

/** Folded in place of a result hash equal to the request hash (an honest result's digest). */
const SAME_AS_REQUEST = 0x9e3779b9;

/**
 * The last frozen receipt hashed, and its id: the simulator signs a receipt and the step then
 * verifies the same object, so each would hash it. One entry is enough for that (a WeakMap of
 * every receipt cost more in garbage collection than the second hash it saved). Only a frozen
 * object is remembered, since it cannot change after its id was taken.
 */
let lastReceipt: Receipt | null = null;
let lastId: Hex = '0x';

/** 64-bit id of a receipt (0x + 16 hex digits): enough to chain and to catch tampering in a run. */
export function simReceiptId(r: Receipt): Hex {
  if (r === lastReceipt) return lastId;
  const id = receiptIdOf(r);
  if (Object.isFrozen(r)) {
    lastReceipt = r;
    lastId = id;
  }
  return id;
}

/**
 * Every field, in a fixed order: the worker and the model by their remembered digests (a few
 * thousand at most); the requester (up to millions of holders), the request hash and `prev` by
 * their characters; the result hash as a mark when it equals the request hash (the simulator's
 * honest result), else by its characters.
 */
function receiptIdOf(r: Receipt): Hex {
  const h = new Hash64()
    .addInt(r.jobId)
    .addInt(r.lane)
    .add(r.requester)
    .addDigest(r.model)
    .addDigest(r.worker)
    .add(r.requestHash);
  if (r.resultHash === r.requestHash) h.fold(SAME_AS_REQUEST);
  else h.add(r.resultHash);
  h.addInt(r.units).addInt(r.price).addInt(r.finishedAt).add(r.prev);
  return h.id();
}

/**
 * The last tag computed: a simulated receipt's tag is taken to sign it, again to verify it in
 * the step and again by the trace encoder, each for the same worker and id.
 */
let lastTagWorker = '';
let lastTagReceiptId = '';
let lastTag: Hex = '0x';

function simTag(worker: Address, receiptId: Hex): Hex {
  if (worker === lastTagWorker && receiptId === lastTagReceiptId && lastTag !== '0x')
    return lastTag;
  const tag = new Hash64().addDigest(worker).add(receiptId).id();
  lastTagWorker = worker;
  lastTagReceiptId = receiptId;
  lastTag = tag;
  return tag;
}

/** The simulator's "signature" of the receipt with id `receiptId` by `worker` (traces rebuild it). */
export const simSignatureOf = (worker: Address, receiptId: Hex): Hex => simTag(worker, receiptId);

const attestationId = (a: AttestationBody): Hex =>
  new Hash64().add(a.worker).add(a.identityHash).add(String(a.expiresAtMs)).id();

export const simVerifier: ReceiptVerifier = {
  name: 'sim-fnv (not secure)',
  receiptId: simReceiptId,
  verify: (receipt, signature, receiptId) => signature === simTag(receipt.worker, receiptId),
  verifyAttestation: (a) => a.signature === simTag(a.attestor, attestationId(a)),
};

/** The simulator's attestor: signs with the same cheap, insecure scheme. */
export function simAttest(attestor: Address, body: AttestationBody): Attestation {
  return { ...body, attestor, signature: simTag(attestor, attestationId(body)) };
}

export function createSimSigner(worker: Address): ReceiptSigner {
  return { worker, sign: (receipt) => simTag(worker, simReceiptId(receipt)) };
}
