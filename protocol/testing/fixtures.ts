import { createHash } from 'node:crypto';
import type { Address, Hex } from '../types.ts';

/** Deterministic address for test actor n (and a name-space so roles never collide). */
export function addr(n: number, space = 0): Address {
  return `0x${space.toString(16).padStart(8, '0')}${n.toString(16).padStart(32, '0')}` as Address;
}

/** A model id (bytes32) for a simulated model name: sha256 of the name, like sha256 of bytes. */
export { modelIdOf as modelId } from '../modelId.ts';

export function hash32(text: string): Hex {
  return `0x${createHash('sha256').update(text).digest('hex')}`;
}

/** A KYC attestation by the first configured attestor, in the simulator's cheap scheme; a year long. */
export { simAttestationFor } from '../receipts/simAttestor.ts';
