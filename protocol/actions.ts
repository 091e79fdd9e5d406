import type { ParamsInput } from './params.ts';
import type { Attestation, Receipt } from './receipts/receipt.ts';
import type { Address, Hex, Lane, SealedMode } from './types.ts';

export type Asset = 'usdc' | 'one';

/** Everything that can happen to the protocol. `step` accepts or rejects each one. */
export type Action =
  | { type: 'deposit'; account: Address; asset: Asset; amount: bigint }
  | { type: 'withdraw'; account: Address; asset: Asset; amount: bigint }
  | { type: 'fundTreasury'; from: Address; amountMicroUsdc: bigint }
  | { type: 'stake'; holder: Address; amountOneWei: bigint }
  | { type: 'unstake'; holder: Address; amountOneWei: bigint }
  | { type: 'claimUnbonded'; holder: Address }
  | { type: 'startDay'; day: number }
  | {
      type: 'reserve';
      sponsor: Address;
      model: string | null;
      rateCuPerSec: bigint;
      durationMs: number;
      startAtMs?: number;
    }
  | { type: 'endReservation'; reservationId: number }
  | {
      type: 'submitJob';
      lane: Lane;
      requester: Address;
      model: string;
      units: bigint;
      requestHash: Hex;
      reservationId?: number;
      deadlineMs?: number;
      /** A sealed job (its requestHash is the ciphertext's digest); absent: not sealed. */
      sealed?: SealedMode;
    }
  | { type: 'dispatch' }
  /** Pull: hands the next job for one of `models` (by the scheduler's rules) to an unnamed worker until `leaseUntilMs`. */
  | { type: 'leaseJob'; models: string[]; leaseUntilMs: number }
  | { type: 'completeJob'; receipt: Receipt; signature: Hex }
  | { type: 'failJob'; jobId: number; worker: Address }
  | { type: 'expireJobs' }
  | { type: 'settle'; epoch: number }
  | { type: 'claim'; epoch: number; worker: Address; amountMicroUsdc: bigint; proof: Hex[] }
  | {
      type: 'registerWorker';
      worker: Address;
      models: string[];
      slots: number;
      capacityCuPerSec: bigint;
      bondMicroUsdc: bigint;
      /** Required when params.kycRequired. */
      attestation?: Attestation;
      /** Memory for deployed models (bytes); without it the worker hosts no deployment. */
      memoryBytes?: number;
      /** Where it runs, for deployments' placement constraints. */
      region?: string;
      tags?: string[];
    }
  | { type: 'renewAttestation'; worker: Address; attestation: Attestation }
  | { type: 'topUpBond'; worker: Address; amountMicroUsdc: bigint }
  | { type: 'releaseJail'; worker: Address }
  | { type: 'registerOracle'; proposer: Address; oracle: Address }
  | { type: 'removeOracle'; proposer: Address; oracle: Address }
  | { type: 'postAvailability'; oracle: Address; day: number; scores: Array<[Address, number]> }
  | { type: 'closeAvailabilityDay'; day: number }
  | { type: 'auditVerdict'; oracle: Address; jobId: number; resultHash: Hex }
  | { type: 'setWorkerOnline'; worker: Address; online: boolean }
  | { type: 'exitWorker'; worker: Address }
  | { type: 'withdrawBond'; worker: Address }
  | { type: 'proposeParams'; proposer: Address; changes: ParamsInput }
  | { type: 'executeProposal'; proposalId: number }
  | { type: 'cancelProposal'; proposer: Address; proposalId: number }
  /** Places `model` (the sha256 of its bytes) on `replicas` workers that satisfy the constraints. */
  | {
      type: 'deployModel';
      owner: Address;
      model: string;
      sizeBytes: number;
      replicas: number;
      minMemoryBytes?: number;
      region?: string;
      tag?: string;
    }
  | { type: 'scaleDeployment'; owner: Address; model: string; replicas: number }
  | { type: 'removeDeployment'; owner: Address; model: string }
  /** A placed worker finished fetching the model: its replica may now take the model's jobs. */
  | { type: 'replicaReady'; worker: Address; model: string }
  /** Ratio1 (§10): the owner bans a worker's licence: no rewards, no jobs, until unbanned. */
  | { type: 'banLicence'; owner: Address; worker: Address }
  | { type: 'unbanLicence'; owner: Address; worker: Address };

export type ActionType = Action['type'];

/** The core rules (PROTOCOL.md §3–7), before the verification layer. */
export const coreActionTypes: readonly ActionType[] = [
  'deposit',
  'withdraw',
  'fundTreasury',
  'stake',
  'unstake',
  'claimUnbonded',
  'startDay',
  'reserve',
  'endReservation',
  'submitJob',
  'dispatch',
  'leaseJob',
  'completeJob',
  'failJob',
  'expireJobs',
  'settle',
  'claim',
  'registerWorker',
  'setWorkerOnline',
  'exitWorker',
  'withdrawBond',
  'proposeParams',
  'executeProposal',
  'cancelProposal',
];

/** The verification layer (§2, §8): KYC, jail, oracles, availability, audits. */
export const verificationActionTypes: readonly ActionType[] = [
  'renewAttestation',
  'topUpBond',
  'releaseJail',
  'registerOracle',
  'removeOracle',
  'postAvailability',
  'closeAvailabilityDay',
  'auditVerdict',
];

/** Deployments (protocol/README.md, "Deployments"): models placed on workers with replicas. */
export const deploymentActionTypes: readonly ActionType[] = [
  'deployModel',
  'scaleDeployment',
  'removeDeployment',
  'replicaReady',
];

/** Ratio1's rule set only (params.rewardRules 'ratio1'): the owner's licence bans. */
export const ratio1ActionTypes: readonly ActionType[] = ['banLicence', 'unbanLicence'];

export const actionTypes: readonly ActionType[] = [
  ...coreActionTypes,
  ...verificationActionTypes,
  ...deploymentActionTypes,
  ...ratio1ActionTypes,
];
