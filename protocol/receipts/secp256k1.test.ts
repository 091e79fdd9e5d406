import { describe, expect, it } from 'vitest';
import type { Hex } from '../types.ts';
import {
  addressOfPrivateKey,
  hexToBytes,
  recoverAddress,
  secp256k1Backend,
  secp256k1NativeAvailable,
  signDigest,
  verifyDigestSignature,
} from './secp256k1.ts';

// Anvil's first account.
const key = hexToBytes('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const address = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}` as Hex;

describe('secp256k1 (native when it loads, else noble)', () => {
  it('derives the address, and both backends sign a digest identically and recover the signer', () => {
    expect(addressOfPrivateKey(key)).toBe(address);
    const digest = new Uint8Array(32).map((_, i) => i * 7);
    const a = signDigest(digest, key, 'native');
    const b = signDigest(digest, key, 'noble');
    expect(hex(a)).toBe(hex(b));
    expect([27, 28]).toContain(a[64]);
    for (const backend of ['native', 'noble'] as const) {
      expect(recoverAddress(digest, hex(a), backend)).toBe(address);
      expect(verifyDigestSignature(digest, hex(a), address.toUpperCase() as Hex, backend)).toBe(
        true,
      );
      const other = digest.slice();
      other[0]! ^= 1;
      expect(verifyDigestSignature(other, hex(a), address, backend)).toBe(false);
    }
  });

  it('refuses malformed signatures, and names the backend a request gets', () => {
    const digest = new Uint8Array(32);
    const sig = signDigest(digest, key);
    expect(recoverAddress(digest, hex(sig.subarray(0, 64)), 'noble')).toBeNull();
    const badV = sig.slice();
    badV[64] = 30;
    expect(recoverAddress(digest, hex(badV), 'noble')).toBeNull();
    expect(secp256k1Backend('noble')).toBe('noble');
    expect(secp256k1Backend()).toBe(secp256k1NativeAvailable ? 'native' : 'noble');
  });
});
