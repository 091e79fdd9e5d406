import { Lane } from '../types.ts';
import { ONE, USDC } from '../units.ts';
import { createDriver, type Driver, type DriverOptions } from './driver.ts';
import { addr, hash32, modelId, simAttestationFor } from './fixtures.ts';

export const MODEL_A = modelId('model-a');
export const MODEL_B = modelId('model-b');
export const holderAddr = (i: number) => addr(i, 1);
export const workerAddr = (i: number) => addr(i, 2);
export const sponsorAddr = (i: number) => addr(i, 3);
export const FUNDER = addr(1, 9);

export interface SmallNetworkOptions extends DriverOptions {
  treasuryUsdc?: bigint;
  holderStakesOne?: bigint[];
  workers?: Array<{
    models: `0x${string}`[];
    slots: number;
    /** Deployment fields (left out when not given, as before deployments). */
    memoryBytes?: number;
    region?: string;
    tags?: string[];
  }>;
}

/**
 * A small network at genesis: a funded treasury, staked holders and bonded workers, day 0
 * started. Unit and property tests build on it.
 */
export function smallNetwork(o: SmallNetworkOptions = {}) {
  const d = createDriver(o);
  const treasury = (o.treasuryUsdc ?? 100_000n) * USDC;
  if (treasury > 0n) {
    d.run({ type: 'deposit', account: FUNDER, asset: 'usdc', amount: treasury });
    d.run({ type: 'fundTreasury', from: FUNDER, amountMicroUsdc: treasury });
  }
  (o.holderStakesOne ?? [2_500n, 1_000n]).forEach((s, i) => {
    d.run({ type: 'deposit', account: holderAddr(i), asset: 'one', amount: s * ONE });
    d.run({ type: 'stake', holder: holderAddr(i), amountOneWei: s * ONE });
  });
  (o.workers ?? [{ models: [MODEL_A], slots: 1 }]).forEach((w, i) => {
    const bond = d.params.workerBondMinMicroUsdc;
    d.run({ type: 'deposit', account: workerAddr(i), asset: 'usdc', amount: bond });
    d.run({
      type: 'registerWorker',
      worker: workerAddr(i),
      models: w.models,
      slots: w.slots,
      capacityCuPerSec: 100n,
      bondMicroUsdc: bond,
      attestation: simAttestationFor(d.params, workerAddr(i)),
      ...(w.memoryBytes === undefined ? {} : { memoryBytes: w.memoryBytes }),
      ...(w.region === undefined ? {} : { region: w.region }),
      ...(w.tags === undefined ? {} : { tags: w.tags }),
    });
  });
  d.run({ type: 'startDay', day: 0 });
  return d;
}

/**
 * A sponsor with 1,000 USDC and reservation 1: 10 CU/s of MODEL_A for an hour from now.
 * Returns the sponsor.
 */
export function fundAndReserve(d: Driver, sponsor: `0x${string}` = sponsorAddr(0)) {
  d.run({ type: 'deposit', account: sponsor, asset: 'usdc', amount: 1_000n * USDC });
  d.run({ type: 'reserve', sponsor, model: MODEL_A, rateCuPerSec: 10n, durationMs: 3_600_000 });
  return sponsor;
}

let requestCounter = 0;
export const includedJob = (holder: `0x${string}`, units: bigint, model = MODEL_A) => ({
  type: 'submitJob' as const,
  lane: Lane.included,
  requester: holder,
  model,
  units,
  requestHash: hash32(`req:${++requestCounter}`),
});

export const dedicatedJob = (
  sponsor: `0x${string}`,
  reservationId: number,
  units: bigint,
  model = MODEL_A,
) => ({
  type: 'submitJob' as const,
  lane: Lane.dedicated,
  requester: sponsor,
  model,
  units,
  reservationId,
  requestHash: hash32(`req:${++requestCounter}`),
});
