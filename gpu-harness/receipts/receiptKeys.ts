import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { InputError } from '../../protocol/errors.ts';
import type { Hex } from '../../protocol/index.ts';

/** The worker's two signing keys and where they came from. */
export type ReceiptKeys = {
  /** 32-byte secp256k1 private key for EIP-712 receipts. */
  secp256k1: Hex;
  /** ed25519 private key for worker-format receipts. */
  ed25519: KeyObject;
  source: 'key-file' | 'env' | 'ephemeral';
};

export const ephemeralKeysNotice = 'ephemeral keys: receipts not attributable';
export const keyEnvVars = {
  secp256k1: 'ONESIM_SECP256K1_KEY',
  ed25519: 'ONESIM_ED25519_KEY',
} as const;

/** A key that cannot be used; the message names the field and the shape, never the secret. */
export class ReceiptKeyError extends InputError {
  override name = 'ReceiptKeyError';
  declare readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, field);
  }
}

const shape = (v: unknown) =>
  typeof v === 'string'
    ? `a string of ${v.length} characters`
    : `a ${v === null ? 'null' : typeof v}`;

function parseSecp256k1(field: string, value: unknown): Hex {
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text !== 'string' || !/^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
    throw new ReceiptKeyError(field, `expected 64 hex digits (0x optional), got ${shape(value)}`);
  }
  const hex = (text.startsWith('0x') ? text : `0x${text}`).toLowerCase() as Hex;
  if (!secp256k1.utils.isValidSecretKey(Buffer.from(hex.slice(2), 'hex'))) {
    throw new ReceiptKeyError(
      field,
      'not a valid secp256k1 private key (zero or ≥ the curve order)',
    );
  }
  return hex;
}

// PKCS#8 wrapping of a raw 32-byte ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function parseEd25519(field: string, value: unknown): KeyObject {
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text !== 'string')
    throw new ReceiptKeyError(field, `expected a PEM or hex key, got ${shape(value)}`);
  let key: KeyObject;
  try {
    if (text.startsWith('-----BEGIN')) key = createPrivateKey(text);
    else if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
      const seed = Buffer.from(text.replace(/^0x/, ''), 'hex');
      key = createPrivateKey({
        key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
        format: 'der',
        type: 'pkcs8',
      });
    } else throw new Error('shape');
  } catch {
    throw new ReceiptKeyError(
      field,
      `expected a PKCS#8 PEM private key or 64 hex digits, got ${shape(value)}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ReceiptKeyError(field, `expected an ed25519 key, got ${key.asymmetricKeyType}`);
  }
  return key;
}

function fromFile(path: string): ReceiptKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReceiptKeyError(
      'key-file',
      `cannot read ${path} as JSON (${(error as Error).message})`,
    );
  }
  const o = (parsed ?? {}) as Record<string, unknown>;
  return {
    secp256k1: parseSecp256k1('key-file.secp256k1', o.secp256k1),
    ed25519: parseEd25519('key-file.ed25519', o.ed25519),
    source: 'key-file',
  };
}

export type LoadReceiptKeysParameters = {
  /** JSON file `{"secp256k1": "0x…", "ed25519": "<PEM or hex seed>"}`. */
  keyFile?: string | null;
  env?: Record<string, string | undefined>;
  /** Without a file or env keys: make throwaway keys (benchmarks), or throw. */
  allowEphemeral: boolean;
};

/** Keys from the file, else from both env variables, else ephemeral (if allowed). Throws ReceiptKeyError. */
export function loadReceiptKeys(p: LoadReceiptKeysParameters): ReceiptKeys {
  if (p.keyFile) return fromFile(p.keyFile);
  const env = p.env ?? process.env;
  const secp = env[keyEnvVars.secp256k1];
  const ed = env[keyEnvVars.ed25519];
  if (secp !== undefined || ed !== undefined) {
    if (secp === undefined)
      throw new ReceiptKeyError(keyEnvVars.secp256k1, `not set (${keyEnvVars.ed25519} is)`);
    if (ed === undefined)
      throw new ReceiptKeyError(keyEnvVars.ed25519, `not set (${keyEnvVars.secp256k1} is)`);
    return {
      secp256k1: parseSecp256k1(keyEnvVars.secp256k1, secp),
      ed25519: parseEd25519(keyEnvVars.ed25519, ed),
      source: 'env',
    };
  }
  if (!p.allowEphemeral) {
    throw new ReceiptKeyError(
      'key-file',
      `no keys: pass a key file or set ${keyEnvVars.secp256k1} and ${keyEnvVars.ed25519}`,
    );
  }
  return {
    secp256k1: `0x${Buffer.from(secp256k1.utils.randomSecretKey()).toString('hex')}`,
    ed25519: generateKeyPairSync('ed25519').privateKey,
    source: 'ephemeral',
  };
}
