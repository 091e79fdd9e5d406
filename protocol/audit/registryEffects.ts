import type { Action } from '../actions.ts';
import type { ProtocolEvent } from '../events.ts';
import { ZERO_HASH } from '../receipts/receipt.ts';
import type { Address, State, Worker } from '../types.ts';
import { show } from './show.ts';

type Check = (events: readonly ProtocolEvent[], after: State) => string | null;

/**
 * The worker registry (PROTOCOL.md §5, §7 and protocol/README.md) as the audit's `actionEffects`
 * check sees it (issue 21), from the state before the step: a registration records the worker as
 * asked (models, slots, capacity, bond; memory, region and tags only when declared; the
 * attestation's identity and expiry when given), active, online, not busy, score 255, and takes
 * the bond from its account; a returning worker keeps its history (served, failed, receipt chain,
 * earnings, slashes, jail) and a new one starts from none. Going online or offline sets exactly
 * that; an exit leaves the worker exiting; a bond withdrawal pays the whole bond back and leaves it
 * exited with none; a top-up moves the amount from the account to the bond; a renewal records the
 * new attestation; a release from jail unjails and keeps the jail's end.
 */
export function registryCheck(s: State, a: Action): Check | null {
  const types = [
    'registerWorker',
    'setWorkerOnline',
    'exitWorker',
    'withdrawBond',
    'topUpBond',
    'renewAttestation',
    'releaseJail',
  ];
  if (!types.includes(a.type) || !('worker' in a)) return null;
  const who: Address = a.worker;
  const old = s.workers.get(who);
  const usdc = s.accounts.get(who)?.usdc ?? 0n;
  let want: Partial<Worker> = {};
  let paid = 0n;
  switch (a.type) {
    case 'registerWorker': {
      want = {
        address: who,
        models: [...a.models],
        slots: a.slots,
        capacityCuPerSec: a.capacityCuPerSec,
        bondMicroUsdc: a.bondMicroUsdc,
        status: 'active',
        online: true,
        jailed: old?.jailed ?? false,
        activeJobs: 0,
        served: old?.served ?? 0,
        failed: old?.failed ?? 0,
        chainHead: old?.chainHead ?? ZERO_HASH,
        earnedMicroUsdc: old?.earnedMicroUsdc ?? 0n,
        slashedMicroUsdc: old?.slashedMicroUsdc ?? 0n,
        jailedUntilMs: old?.jailedUntilMs ?? 0,
        identityHash: a.attestation?.identityHash ?? null,
        attestationExpiresAtMs: a.attestation?.expiresAtMs ?? 0,
        availabilityScore: 255,
        memoryBytes: a.memoryBytes,
        region: a.region,
        tags: a.tags ? [...a.tags] : undefined,
      };
      paid = a.bondMicroUsdc;
      break;
    }
    case 'setWorkerOnline':
      want = { online: a.online === true };
      break;
    case 'exitWorker':
      want = { status: 'exiting', bondMicroUsdc: old?.bondMicroUsdc };
      break;
    case 'withdrawBond':
      want = { status: 'exited', bondMicroUsdc: 0n };
      paid = -(old?.bondMicroUsdc ?? 0n);
      break;
    case 'topUpBond':
      want = { bondMicroUsdc: (old?.bondMicroUsdc ?? 0n) + a.amountMicroUsdc };
      paid = a.amountMicroUsdc;
      break;
    case 'renewAttestation':
      want = {
        identityHash: a.attestation.identityHash,
        attestationExpiresAtMs: a.attestation.expiresAtMs,
      };
      break;
    case 'releaseJail':
      want = { jailed: false, jailedUntilMs: old?.jailedUntilMs };
      break;
  }
  return (_events, after) => {
    const w = after.workers.get(who);
    const got = w && Object.fromEntries(Object.keys(want).map((k) => [k, w[k as keyof Worker]]));
    if (show(got) !== show(want))
      return `${a.type}: ${who} is ${show(got)}; the rules say ${show(want)}`;
    const has = after.accounts.get(who)?.usdc ?? 0n;
    if (has !== usdc - paid)
      return `${a.type}: ${who} holds ${has} USDC, the rules say ${usdc - paid}`;
    return null;
  };
}
