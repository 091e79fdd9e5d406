import { createRequire } from 'node:module';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  type Address,
  type Hex,
  serializeTransaction,
  type TransactionSerializableLegacy,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/** r ‖ s (64 bytes) and the recovery id of a signature over a 32-byte digest. */
type SignDigest = (digest: Uint8Array, key: Uint8Array) => { rs: Uint8Array; recid: number };

/** The native secp256k1 binding when its prebuild loads (about 10× noble), else noble. */
function loadSigner(): SignDigest {
  try {
    const native = createRequire(import.meta.url)('secp256k1/bindings') as {
      ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
    };
    return (digest, key) => {
      const { signature, recid } = native.ecdsaSign(digest, key);
      return { rs: signature, recid };
    };
  } catch {
    return (digest, key) => {
      // noble's "recovered" format is recid ‖ r ‖ s.
      const sig = secp256k1.sign(digest, key, { prehash: false, format: 'recovered' });
      return { rs: sig.subarray(1), recid: sig[0]! };
    };
  }
}
const signDigest = loadSigner();

export interface TxFields {
  nonce: number;
  to?: Address;
  data?: Hex;
  gas: bigint;
  /** Wei per gas (0 by default): the driver uses it to fix the order of a block's transactions. */
  gasPrice?: bigint;
  value?: bigint;
}

/** Signs legacy (EIP-155) transactions locally; the key never leaves it. */
export interface TxSigner {
  readonly address: Address;
  sign(tx: TxFields): Hex;
}

const toHex = (b: Uint8Array): Hex => `0x${Buffer.from(b).toString('hex')}`;

export function createTxSigner(privateKey: Hex, chainId: number): TxSigner {
  const address = privateKeyToAccount(privateKey).address.toLowerCase() as Address;
  const key = Uint8Array.from(Buffer.from(privateKey.slice(2), 'hex'));
  return {
    address,
    sign(tx) {
      const unsigned: TransactionSerializableLegacy = {
        type: 'legacy',
        chainId,
        gasPrice: 0n,
        ...tx,
      };
      const digest = keccak_256(Buffer.from(serializeTransaction(unsigned).slice(2), 'hex'));
      const { rs, recid } = signDigest(digest, key);
      return serializeTransaction(unsigned, {
        r: toHex(rs.subarray(0, 32)),
        s: toHex(rs.subarray(32, 64)),
        v: BigInt(27 + recid),
      });
    },
  };
}
