import { createHash } from 'node:crypto';
import type { Params } from '../params.ts';
import type { Address, Hex } from '../types.ts';
import type { Attestation } from './receipt.ts';
import { simAttest } from './simVerifier.ts';

/**
 * The simulated attestor (a stand-in for Ratio1's dAuth + KYC): an attestation of `worker` by the
 * first configured attestor, in the simulator's cheap scheme, lapsing at `expiresAtMs` (a year
 * by default). Used where a simulated network or the gateway must let a worker register.
 */
export function simAttestationFor(
  params: Params,
  worker: Address,
  expiresAtMs = 365 * 86_400_000,
): Attestation {
  const identityHash: Hex = `0x${createHash('sha256').update(`identity:${worker}`).digest('hex')}`;
  return simAttest(params.attestors[0]!, { worker, identityHash, expiresAtMs });
}
