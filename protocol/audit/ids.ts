import { createHash } from 'node:crypto';
import type { Address, Hex } from '../types.ts';

/** Deterministic address for actor n (and a name-space so roles never collide). */
export function addr(n: number, space = 0): Address {
  return `0x${space.toString(16).padStart(8, '0')}${n.toString(16).padStart(32, '0')}` as Address;
}

/** A bytes32 digest of a text (sha256): request, result and identity hashes of random runs. */
export function hash32(text: string): Hex {
  return `0x${createHash('sha256').update(text).digest('hex')}`;
}
