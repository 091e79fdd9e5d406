import {
  createHash,
  createPublicKey,
  type KeyObject,
  sign as signRaw,
  verify as verifyRaw,
} from 'node:crypto';

/**
 * The ONE worker receipt (PROTOCOL.md §6), as the public ONE worker client writes it: ed25519
 * over `JSON.stringify({prev, requestHash, model, worker, outputDigest})` in exactly that key
 * order. `worker` is the base64 DER/SPKI public key, `sig` the base64 64-byte signature, and a
 * receipt's `prev` is the previous receipt's link hash ("" at genesis).
 */
export interface OneWorkerReceipt {
  prev: string;
  requestHash: string;
  model: string;
  worker: string;
  outputDigest: string;
  sig: string;
}

export type OneWorkerReceiptFields = Omit<OneWorkerReceipt, 'sig'>;

/** `prev` of the first receipt of a worker's chain. */
export const ONE_WORKER_GENESIS = '';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** JSON with object keys sorted recursively (arrays keep their order): what requestHash hashes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** sha256 hex of the canonical JSON: the worker format's requestHash and outputDigest. */
export function digestJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** The exact string the signature covers (key order fixed, extra fields dropped). */
export function oneWorkerSigningPayload(f: OneWorkerReceiptFields): string {
  return JSON.stringify({
    prev: f.prev,
    requestHash: f.requestHash,
    model: f.model,
    worker: f.worker,
    outputDigest: f.outputDigest,
  });
}

/** linkHash = sha256hex(canonical + sig): the next receipt's `prev`. */
export function oneWorkerLinkHash(r: OneWorkerReceipt): string {
  return sha256Hex(oneWorkerSigningPayload(r) + r.sig);
}

export type OneWorkerSigner = {
  /** base64 DER/SPKI public key. */
  readonly worker: string;
  sign(fields: Omit<OneWorkerReceiptFields, 'worker'>): OneWorkerReceipt;
};

/** Signs worker receipts with an ed25519 private KeyObject (node:crypto). */
export function createOneWorkerSigner(privateKey: KeyObject): OneWorkerSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`privateKey: expected an ed25519 key, got ${privateKey.asymmetricKeyType}`);
  }
  const worker = createPublicKey(privateKey)
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
  return {
    worker,
    sign(fields) {
      const f = { ...fields, worker };
      const sig = signRaw(null, Buffer.from(oneWorkerSigningPayload(f)), privateKey).toString(
        'base64',
      );
      return {
        prev: f.prev,
        requestHash: f.requestHash,
        model: f.model,
        worker,
        outputDigest: f.outputDigest,
        sig,
      };
    },
  };
}

// Parsing SPKI costs more than verifying; one chain has one worker, so a small cache pays.
const publicKeys = new Map<string, KeyObject | null>();
const publicKeysMax = 1024;

function publicKeyOf(worker: string): KeyObject | null {
  let key = publicKeys.get(worker);
  if (key !== undefined) return key;
  try {
    key = createPublicKey({ key: Buffer.from(worker, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') key = null;
  } catch {
    key = null;
  }
  if (publicKeys.size >= publicKeysMax) publicKeys.clear();
  publicKeys.set(worker, key);
  return key;
}

/** True when `sig` is the worker key's ed25519 signature over the payload; false on any malformation. */
export function verifyOneWorkerReceipt(r: OneWorkerReceipt): boolean {
  const key = publicKeyOf(r.worker);
  if (key === null) return false;
  const sig = Buffer.from(r.sig, 'base64');
  if (sig.length !== 64 || sig.toString('base64') !== r.sig) return false;
  try {
    return verifyRaw(null, Buffer.from(oneWorkerSigningPayload(r)), key, sig);
  } catch {
    return false;
  }
}
