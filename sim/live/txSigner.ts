import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  type Address,
  type Hex,
  serializeTransaction,
  type TransactionSerializableLegacy,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { signDigest } from '../../protocol/receipts/secp256k1.ts';

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
      const sig = signDigest(digest, key);
      return serializeTransaction(unsigned, {
        r: toHex(sig.subarray(0, 32)),
        s: toHex(sig.subarray(32, 64)),
        v: BigInt(sig[64]!),
      });
    },
  };
}
