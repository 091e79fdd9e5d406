import { JobTable } from './jobTable.ts';
import type { Params } from './params.ts';
import { ZERO_HASH } from './receipts/receipt.ts';
import type { Account, Address, Holder, State, Totals, Worker } from './types.ts';

const zeroTotals = (): Totals => ({
  usdcDepositedMicroUsdc: 0n,
  usdcWithdrawnMicroUsdc: 0n,
  oneDepositedWei: 0n,
  oneWithdrawnWei: 0n,
  jobsSubmitted: 0,
  jobsCompleted: 0,
  jobsFailed: 0,
  jobsExpired: 0,
  receiptsSettled: 0,
  settledMicroUsdc: 0n,
  includedPaidMicroUsdc: 0n,
  dedicatedPaidMicroUsdc: 0n,
  feesMicroUsdc: 0n,
  takeMicroUsdc: 0n,
  forfeitedMicroUsdc: 0n,
  refundedMicroUsdc: 0n,
  slashedMicroUsdc: 0n,
  bountiesMicroUsdc: 0n,
  oracleFeesMicroUsdc: 0n,
  availabilityRewardsMicroUsdc: 0n,
  withheldMicroUsdc: 0n,
  auditsOpened: 0,
  auditsResolved: 0,
  mismatchesConfirmed: 0,
  availabilityDaysClosed: 0,
  faultyDays: 0,
});

/** The state at genesis (time 0, before day 0 starts). */
export function createState(params: Params): State {
  return {
    params,
    nowMs: 0,
    day: -1,
    lastSettledEpoch: -1,
    accounts: new Map(),
    treasuryMicroUsdc: 0n,
    holders: new Map(),
    workers: new Map(),
    freeWorkers: new Map(),
    reservations: new Map(),
    dedicatedWaiting: [],
    dedicatedNotBeforeMs: new Map(),
    includedQueues: new Map(),
    jobs: new JobTable(),
    openJobs: 0,
    deadlines: { atMs: [], jobIds: [] },
    pendingByEpoch: new Map(),
    dayBudgets: new Map(),
    settlements: new Map(),
    settlementPoolMicroUsdc: 0n,
    proposals: new Map(),
    oracles: new Map(),
    audits: new Map(),
    availabilityReports: new Map(),
    lastAvailabilityDay: -1,
    lastAvailability: null,
    lastRoot: ZERO_HASH,
    nextJobId: 1,
    nextReservationId: 1,
    nextProposalId: 1,
    totals: zeroTotals(),
    ...(params.rewardRules === 'ratio1'
      ? {
          ratio1: {
            escrowMicroUsdc: 0n,
            mintedMicroUsdc: 0n,
            burnedMicroUsdc: 0n,
            poaiPaidMicroUsdc: 0n,
            minedByWorker: new Map(),
            activeNodes: [],
            consensusFailedDays: 0,
          },
        }
      : {}),
  };
}

/** A deep, independent copy (Maps, Sets and bigints included) for replay and property tests. */
export function cloneState(state: State): State {
  // structuredClone copies a Map's own entries; a JobTable keeps its jobs in an array.
  const copy = structuredClone({ ...state, jobs: new Map(state.jobs) });
  copy.jobs = JobTable.from(copy.jobs);
  return copy;
}

export function accountOf(state: State, address: Address): Account {
  let a = state.accounts.get(address);
  if (!a) {
    a = { usdc: 0n, one: 0n };
    state.accounts.set(address, a);
  }
  return a;
}

export const usdcOf = (state: State, address: Address): bigint =>
  state.accounts.get(address)?.usdc ?? 0n;
export const oneOf = (state: State, address: Address): bigint =>
  state.accounts.get(address)?.one ?? 0n;

export function holderOf(state: State, address: Address): Holder {
  let h = state.holders.get(address);
  if (!h) {
    h = {
      stakedOneWei: 0n,
      snapshotOneWei: 0n,
      unbonding: [],
      creditDay: state.day,
      allotmentCu: 0n,
      usedCu: 0n,
      reservedCu: 0n,
    };
    state.holders.set(address, h);
  }
  return h;
}

export function newWorker(
  address: Address,
  fields: Pick<Worker, 'models' | 'slots' | 'capacityCuPerSec' | 'bondMicroUsdc'>,
): Worker {
  return {
    address,
    ...fields,
    status: 'active',
    bondReleaseAtMs: 0,
    jailed: false,
    online: true,
    activeJobs: 0,
    served: 0,
    failed: 0,
    chainHead: ZERO_HASH,
    earnedMicroUsdc: 0n,
    identityHash: null,
    attestationExpiresAtMs: 0,
    availabilityScore: 255,
    jailedUntilMs: 0,
    slashedMicroUsdc: 0n,
  };
}

export const epochOf = (params: Params, atMs: number): number =>
  Math.floor(atMs / params.settlementEpochMs);
export const dayOf = (params: Params, atMs: number): number => Math.floor(atMs / params.dayMs);
