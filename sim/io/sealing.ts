import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

/**
 * Sealed jobs: a payload encrypted to one recipient's X25519 key, so that only that recipient
 * (the chosen worker; for the result, the requester) can read it. An ephemeral X25519 key pair
 * per message, X25519 key agreement with the recipient's key, HKDF-SHA256 to a 256-bit key
 * (salt: the ephemeral and recipient public keys, so the key is bound to both ends), AES-256-GCM
 * with a random 96-bit nonce and the format's name as associated data. All from node:crypto;
 * the building blocks are exported so that the RFC 7748 and RFC 5869 vectors check them.
 */
export const sealingInfo = 'onesim/sealed-job/v1';

/** Keys are raw 32-byte X25519 keys, base64 (the form a worker publishes). */
export interface SealingKeyPair {
  publicKey: string;
  privateKey: string;
}

/** What travels: every field base64. */
export interface SealedBox {
  v: 1;
  ephemeralPublicKey: string;
  nonce: string;
  ciphertext: string;
  tag: string;
}

/** A box that does not open: tampered, truncated, or sealed to someone else. */
export class SealOpenError extends Error {
  override name = 'SealOpenError';
}

// DER prefixes of an X25519 key (OID 1.3.101.110) in SPKI and PKCS#8: node:crypto takes raw keys this way.
const spkiPrefix = Buffer.from('302a300506032b656e032100', 'hex');
const pkcs8Prefix = Buffer.from('302e020100300506032b656e04220420', 'hex');

function raw32(what: string, key: Uint8Array | string): Buffer {
  const b = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.from(key);
  if (b.length !== 32) throw new SealOpenError(`${what} must be 32 bytes, got ${b.length}`);
  return b;
}

/**
 * Imported long-lived keys (a worker's, a requester's), by raw bytes: OpenSSL's PKCS#8 import is
 * a few hundred µs, several times a key agreement. Bounded; ephemeral keys never enter it.
 */
const keyCache = new Map<string, KeyObject>();
const keyCacheMax = 64;

function cachedKey(tag: string, raw: Buffer, make: () => KeyObject): KeyObject {
  const id = `${tag}${raw.toString('base64')}`;
  let k = keyCache.get(id);
  if (k === undefined) {
    k = make();
    if (keyCache.size >= keyCacheMax) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, k);
  }
  return k;
}

/** A public key; `cache: false` for one seen once (a message's ephemeral key), so it evicts nothing. */
function publicKeyObject(key: Uint8Array | string, cache = true): KeyObject {
  const raw = raw32('an X25519 public key', key);
  const make = () =>
    createPublicKey({ key: Buffer.concat([spkiPrefix, raw]), format: 'der', type: 'spki' });
  return cache ? cachedKey('p', raw, make) : make();
}

function privateKeyObject(key: Uint8Array | string): KeyObject {
  const raw = raw32('an X25519 private key', key);
  return cachedKey('s', raw, () =>
    createPrivateKey({ key: Buffer.concat([pkcs8Prefix, raw]), format: 'der', type: 'pkcs8' }),
  );
}

const rawPublic = (k: KeyObject): Buffer =>
  k.export({ format: 'der', type: 'spki' }).subarray(spkiPrefix.length);

/** The raw public key of a raw private key. */
export function x25519PublicKey(privateKey: Uint8Array | string): Buffer {
  return rawPublic(createPublicKey(privateKeyObject(privateKey)));
}

/** X25519(privateKey, publicKey): the 32-byte shared secret (RFC 7748 §6.1). */
export function x25519SharedSecret(
  privateKey: Uint8Array | string,
  publicKey: Uint8Array | string,
  cachePublicKey = true,
): Buffer {
  try {
    return diffieHellman({
      privateKey: privateKeyObject(privateKey),
      publicKey: publicKeyObject(publicKey, cachePublicKey),
    });
  } catch (cause) {
    // OpenSSL refuses a low-order public key (an all-zero shared secret).
    throw new SealOpenError('X25519 key agreement failed (a low-order or invalid key)', { cause });
  }
}

/** HKDF-SHA256 (RFC 5869). */
export function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array | string,
  length: number,
): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

export function generateSealingKeyPair(): SealingKeyPair {
  const { privateKey } = generateKeyPairSync('x25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const priv = der.subarray(pkcs8Prefix.length);
  return {
    privateKey: priv.toString('base64'),
    publicKey: x25519PublicKey(priv).toString('base64'),
  };
}

function messageKey(shared: Buffer, ephemeralPublic: Buffer, recipientPublic: Buffer): Buffer {
  if (shared.every((b) => b === 0))
    throw new SealOpenError('the X25519 shared secret is all zeros (a low-order public key)');
  return hkdfSha256(shared, Buffer.concat([ephemeralPublic, recipientPublic]), sealingInfo, 32);
}

export interface SealParameters {
  plaintext: Uint8Array | string;
  recipientPublicKey: Uint8Array | string;
  /** Tests only: a fixed ephemeral key and nonce. Left out, both are fresh random bytes. */
  ephemeralPrivateKey?: Uint8Array | string;
  nonce?: Uint8Array;
}

export function seal(p: SealParameters): SealedBox {
  const recipient = raw32('the recipient public key', p.recipientPublicKey);
  // A fresh ephemeral pair stays a KeyObject (no import); a fixed one (tests) is imported.
  const ephemeral =
    p.ephemeralPrivateKey === undefined
      ? generateKeyPairSync('x25519')
      : (() => {
          const privateKey = createPrivateKey({
            key: Buffer.concat([
              pkcs8Prefix,
              raw32('the ephemeral private key', p.ephemeralPrivateKey!),
            ]),
            format: 'der',
            type: 'pkcs8',
          });
          return { privateKey, publicKey: createPublicKey(privateKey) };
        })();
  const ephemeralPublic = rawPublic(ephemeral.publicKey);
  let shared: Buffer;
  try {
    shared = diffieHellman({
      privateKey: ephemeral.privateKey,
      publicKey: publicKeyObject(recipient),
    });
  } catch (cause) {
    throw new SealOpenError('X25519 key agreement failed (a low-order or invalid key)', { cause });
  }
  const key = messageKey(shared, ephemeralPublic, recipient);
  const nonce = p.nonce === undefined ? randomBytes(12) : Buffer.from(p.nonce);
  if (nonce.length !== 12)
    throw new SealOpenError(`the nonce must be 12 bytes, got ${nonce.length}`);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(sealingInfo));
  const plaintext = typeof p.plaintext === 'string' ? Buffer.from(p.plaintext) : p.plaintext;
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    v: 1,
    ephemeralPublicKey: ephemeralPublic.toString('base64'),
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Opens a box sealed to `recipientPrivateKey`; throws SealOpenError when it does not open. */
export function open(box: SealedBox, recipientPrivateKey: Uint8Array | string): Buffer {
  if (box === null || typeof box !== 'object' || box.v !== 1)
    throw new SealOpenError('not a sealed box of version 1');
  for (const f of ['ephemeralPublicKey', 'nonce', 'ciphertext', 'tag'] as const)
    if (typeof box[f] !== 'string') throw new SealOpenError(`sealed box field ${f} is missing`);
  const recipientPrivate = raw32('the recipient private key', recipientPrivateKey);
  const ephemeralPublic = raw32('the ephemeral public key', box.ephemeralPublicKey);
  const nonce = Buffer.from(box.nonce, 'base64');
  const tag = Buffer.from(box.tag, 'base64');
  if (nonce.length !== 12 || tag.length !== 16)
    throw new SealOpenError('a sealed box needs a 12-byte nonce and a 16-byte tag');
  const recipientPublic = cachedKey('P', recipientPrivate, () =>
    createPublicKey(privateKeyObject(recipientPrivate)),
  );
  const key = messageKey(
    x25519SharedSecret(recipientPrivate, ephemeralPublic, false),
    ephemeralPublic,
    rawPublic(recipientPublic),
  );
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(sealingInfo));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(box.ciphertext, 'base64')),
      decipher.final(),
    ]);
  } catch (cause) {
    throw new SealOpenError('the sealed box does not open (tampered, or sealed to another key)', {
      cause,
    });
  }
}

/** Is this value shaped like a SealedBox (before trying to open it)? */
export function isSealedBox(x: unknown): x is SealedBox {
  if (x === null || typeof x !== 'object') return false;
  const b = x as Record<string, unknown>;
  return (
    b.v === 1 &&
    typeof b.ephemeralPublicKey === 'string' &&
    typeof b.nonce === 'string' &&
    typeof b.ciphertext === 'string' &&
    typeof b.tag === 'string'
  );
}
