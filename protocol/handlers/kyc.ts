import type { Attestation } from '../receipts/receipt.ts';
import { type Rejection, reject } from '../rejections.ts';
import type { Address, State } from '../types.ts';
import type { StepContext } from './context.ts';

/** A KYC attestation is valid for `worker` when a listed attestor signed it and it has not lapsed. */
export function checkAttestation(
  ctx: StepContext,
  worker: Address,
  a: Attestation | undefined,
): Rejection | null {
  const p = ctx.state.params;
  if (!p.kycRequired) return null;
  if (!a) return reject('KycRequired', `registration of ${worker} needs a KYC attestation`);
  if (a.worker !== worker)
    return reject('BadAttestation', `attestation is for ${a.worker}, not ${worker}`);
  if (!p.attestors.includes(a.attestor))
    return reject('BadAttestation', `${a.attestor} is not an attestor`);
  if (!Number.isSafeInteger(a.expiresAtMs) || a.expiresAtMs <= ctx.nowMs)
    return reject(
      'AttestationExpired',
      `attestation expired at ${a.expiresAtMs} ms (now ${ctx.nowMs})`,
    );
  if (typeof a.identityHash !== 'string' || !/^0x[0-9a-f]{64}$/.test(a.identityHash))
    return reject('BadAttestation', `identityHash must be bytes32 hex, got ${a.identityHash}`);
  if (!ctx.verifier.verifyAttestation(a))
    return reject('BadAttestation', `signature of ${a.attestor} does not verify`);
  return null;
}

/** Attested now: with KYC off an attestation never lapses. */
export const attested = (state: State, expiresAtMs: number, nowMs: number): boolean =>
  !state.params.kycRequired || expiresAtMs > nowMs;
