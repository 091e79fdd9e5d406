import type { Address, Hex, Lane } from './types.ts';

/** What an accepted action did. Money fields are base units. */
export type ProtocolEvent =
  | { type: 'Deposited'; account: Address; asset: 'usdc' | 'one'; amount: bigint }
  | { type: 'Withdrawn'; account: Address; asset: 'usdc' | 'one'; amount: bigint }
  | { type: 'TreasuryFunded'; from: Address; amountMicroUsdc: bigint }
  | { type: 'Staked'; holder: Address; amountOneWei: bigint }
  | { type: 'UnstakeStarted'; holder: Address; amountOneWei: bigint; releaseAtMs: number }
  | { type: 'UnbondedClaimed'; holder: Address; amountOneWei: bigint }
  | {
      type: 'DayStarted';
      day: number;
      budgetMicroUsdc: bigint;
      sigma: { num: bigint; den: bigint };
      allottedCu: bigint;
      eligibleHolders: number;
    }
  | { type: 'DayBudgetReleased'; day: number; returnedMicroUsdc: bigint }
  | {
      type: 'Reserved';
      reservationId: number;
      sponsor: Address;
      reservedCu: bigint;
      costMicroUsdc: bigint;
      feeMicroUsdc: bigint;
    }
  | {
      type: 'ReservationEnded';
      reservationId: number;
      refundedMicroUsdc: bigint;
      forfeitedMicroUsdc: bigint;
    }
  | {
      type: 'JobSubmitted';
      jobId: number;
      lane: Lane;
      requester: Address;
      model: string;
      units: bigint;
    }
  | { type: 'JobDispatched'; jobId: number; lane: Lane; worker: Address; model: string }
  | { type: 'JobLeased'; jobId: number; lane: Lane; model: string; leaseUntilMs: number }
  /** A lease ran out unanswered: the job is back at the front of its queue. */
  | { type: 'JobLeaseEnded'; jobId: number; lane: Lane }
  | { type: 'JobCompleted'; jobId: number; worker: Address; receiptId: Hex; waitMs: number }
  | { type: 'JobFailed'; jobId: number; lane: Lane; worker: Address; refunded: bigint }
  | { type: 'JobExpired'; jobId: number; lane: Lane; worker: Address | null; refunded: bigint }
  | {
      type: 'ReceiptSettled';
      epoch: number;
      jobId: number;
      lane: Lane;
      worker: Address;
      grossMicroUsdc: bigint;
      takeMicroUsdc: bigint;
    }
  | { type: 'EpochSettled'; epoch: number; root: Hex; receipts: number; totalMicroUsdc: bigint }
  | { type: 'Claimed'; epoch: number; worker: Address; amountMicroUsdc: bigint }
  | { type: 'WorkerRegistered'; worker: Address; bondMicroUsdc: bigint }
  | { type: 'WorkerOnline'; worker: Address; online: boolean }
  | { type: 'WorkerExiting'; worker: Address; bondReleaseAtMs: number }
  | { type: 'BondWithdrawn'; worker: Address; amountMicroUsdc: bigint }
  | { type: 'ProposalQueued'; proposalId: number; etaMs: number }
  | { type: 'ProposalExecuted'; proposalId: number }
  | { type: 'ProposalCancelled'; proposalId: number }
  | { type: 'AttestationRenewed'; worker: Address; expiresAtMs: number }
  | { type: 'BondToppedUp'; worker: Address; amountMicroUsdc: bigint }
  | { type: 'JailReleased'; worker: Address }
  | { type: 'OracleRegistered'; oracle: Address }
  | { type: 'OracleRemoved'; oracle: Address }
  | { type: 'AvailabilityPosted'; oracle: Address; day: number; scores: number }
  | {
      type: 'AvailabilityClosed';
      day: number;
      faulty: boolean;
      participants: number;
      unagreed: number;
      rewardsMicroUsdc: bigint;
    }
  | { type: 'AuditOpened'; jobId: number; worker: Address; epoch: number; committee: Address[] }
  | { type: 'AuditVote'; jobId: number; oracle: Address; match: boolean }
  | {
      type: 'AuditResolved';
      jobId: number;
      worker: Address;
      mismatches: number;
      votes: number;
      confirmed: boolean;
    }
  | {
      type: 'Slashed';
      worker: Address;
      jobId: number;
      mismatches: number;
      slashedMicroUsdc: bigint;
      bountyMicroUsdc: bigint;
      reporter: Address | null;
      withheldMicroUsdc: bigint;
      jailedUntilMs: number;
    }
  /** Ratio1 (§10): the owner banned (or unbanned) a worker's licence. */
  | { type: 'LicenceBanned'; worker: Address; banned: boolean }
  /** Ratio1 (§10): a licence's release for a day, minted to its worker. */
  | { type: 'LicenceMined'; day: number; worker: Address; amountMicroUsdc: bigint }
  /** Ratio1 (§10): the day's escrow payment to the nodes the oracles agreed were active. */
  | {
      type: 'PoaiAllocated';
      day: number;
      /** Whether the oracles' proposals reached consensus today (else the last agreed set is paid). */
      consensus: boolean;
      nodes: Address[];
      perNodeMicroUsdc: bigint;
      burnedMicroUsdc: bigint;
    }
  /** Deployments: created, rescaled (target k), removed. */
  | { type: 'DeploymentCreated'; model: string; owner: Address; replicas: number }
  | { type: 'DeploymentScaled'; model: string; replicas: number }
  | { type: 'DeploymentRemoved'; model: string }
  /** A worker was chosen to hold a replica: it fetches the model, then reports it ready. */
  | { type: 'ReplicaPlaced'; model: string; worker: Address; sizeBytes: number }
  | { type: 'ReplicaReady'; model: string; worker: Address }
  /** A replica was dropped: its worker went offline or left, the deployment shrank or ended. */
  | {
      type: 'ReplicaDropped';
      model: string;
      worker: Address;
      reason: 'offline' | 'exited' | 'scaled' | 'removed';
    };
