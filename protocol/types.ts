import type { Params } from './params.ts';

export type Address = `0x${string}`;
export type Hex = `0x${string}`;

/** Lanes: Included (holders' daily credits) and Dedicated (sponsors' reserved capacity). */
export const Lane = { included: 0, dedicated: 1 } as const;
export type Lane = (typeof Lane)[keyof typeof Lane];

export interface Account {
  usdc: bigint;
  one: bigint;
}

export interface Unbonding {
  amountOneWei: bigint;
  releaseAtMs: number;
}

export interface Holder {
  stakedOneWei: bigint;
  /** Stake at the start of the current credit day: the only stake that earns credits. */
  snapshotOneWei: bigint;
  unbonding: Unbonding[];
  /** The credit day the three counters below belong to. */
  creditDay: number;
  allotmentCu: bigint;
  usedCu: bigint;
  reservedCu: bigint;
}

export type WorkerStatus = 'active' | 'exiting' | 'exited';

export interface Worker {
  address: Address;
  models: string[];
  slots: number;
  capacityCuPerSec: bigint;
  bondMicroUsdc: bigint;
  status: WorkerStatus;
  /** When an exiting worker may withdraw its bond; the bond stays slashable until then. */
  bondReleaseAtMs: number;
  jailed: boolean;
  online: boolean;
  activeJobs: number;
  served: number;
  failed: number;
  /** Id of this worker's last accepted receipt ("0x00…" at genesis): receipts form a chain. */
  chainHead: Hex;
  earnedMicroUsdc: bigint;
  /** KYC: the attested identity (hash) and when the attestation lapses (0 when not required). */
  identityHash: Hex | null;
  attestationExpiresAtMs: number;
  /** Proof-of-Availability score of the last closed day (uint8; 255 until a day closes). */
  availabilityScore: number;
  /** Jailed workers take no jobs; release after this time with the bond topped up. */
  jailedUntilMs: number;
  slashedMicroUsdc: bigint;
  /** Deployments: memory for deployed models (bytes), region and tags; absent when not declared. */
  memoryBytes?: number;
  region?: string;
  tags?: string[];
  /** Deployed models placed on this worker (pending or ready), in placement order; absent when none. */
  replicas?: string[];
}

/**
 * A model placed on `replicas` workers (protocol/README.md, "Deployments"). Its jobs go only to
 * workers holding a ready replica.
 */
export interface Deployment {
  /** sha256 of the model's bytes (bytes32 hex). */
  model: string;
  owner: Address;
  sizeBytes: number;
  /** Target replica count k. */
  replicas: number;
  minMemoryBytes: number;
  region: string | null;
  tag: string | null;
  /** Placed workers in placement order: false while the model transfers, true once ready. */
  holders: Map<Address, boolean>;
}

export interface Oracle {
  address: Address;
  active: boolean;
  verdicts: number;
  earnedMicroUsdc: bigint;
}

/** A sampled receipt under re-execution by a committee of oracles (Proof-of-AI). */
export interface Audit {
  jobId: number;
  worker: Address;
  requester: Address;
  /** The epoch its receipt finished in; resolved when that epoch's receipts settle. */
  epoch: number;
  committee: Address[];
  votes: Map<Address, Hex>;
}

export interface AvailabilityDay {
  day: number;
  faulty: boolean;
  participants: number;
  unagreed: number;
}

/**
 * queued → running (pushed to a worker by `dispatch`) or leased (pulled by an anonymous worker
 * through `leaseJob`, bound to whoever completes it) → completed.
 */
export type JobStatus = 'queued' | 'running' | 'leased' | 'completed';

/**
 * A sealed job's payload is encrypted to its worker: the protocol sees only the ciphertext's
 * digest (requestHash). 'auditable': the requester also re-encrypted it to the audit committee
 * (opted in to audits); 'private': it did not, so no oracle can re-execute it.
 */
export const sealedModes = ['auditable', 'private'] as const;
export type SealedMode = (typeof sealedModes)[number];

export interface Job {
  id: number;
  lane: Lane;
  requester: Address;
  model: string;
  units: bigint;
  priceMicroUsdcPerCu: bigint;
  requestHash: Hex;
  submittedAtMs: number;
  deadlineAtMs: number;
  status: JobStatus;
  worker: Address | null;
  reservationId: number | null;
  /** The credit day whose allotment (Included) paid for the job. */
  creditDay: number;
  receiptId: Hex | null;
  resultHash: Hex | null;
  finishedAtMs: number;
  /** Earnings withheld (a confirmed mismatch of its worker): settlement pays nothing for it. */
  voided: boolean;
  /** While leased: the last ms a result is accepted; the job then goes back to its queue. Absent otherwise. */
  leaseUntilMs?: number;
  /** Present only on a sealed job (absent keeps the state hashes of unsealed runs). */
  sealed?: SealedMode;
}

export interface Reservation {
  id: number;
  sponsor: Address;
  /** null: every model. */
  model: string | null;
  rateCuPerSec: bigint;
  startAtMs: number;
  endAtMs: number;
  priceMicroUsdcPerCu: bigint;
  reservedCu: bigint;
  submittedCu: bigint;
  deliveredCu: bigint;
  failedCu: bigint;
  escrowMicroUsdc: bigint;
  /** Escrow owed to workers for delivered, not yet settled receipts. */
  committedMicroUsdc: bigint;
  tokensMilliCu: bigint;
  tokensAtMs: number;
  openJobs: number;
  queue: Deque<number>;
  ended: boolean;
}

/** FIFO with O(1) push and shift; plain data so that state clones with structuredClone. */
export interface Deque<T> {
  items: T[];
  head: number;
}

/** Included queue for one model: FIFO per holder, round-robin across holders. */
export interface IncludedQueue {
  holders: Deque<Address>;
  perHolder: Map<Address, Deque<number>>;
}

export interface DayBudget {
  day: number;
  budgetMicroUsdc: bigint;
  earmarkedMicroUsdc: bigint;
  paidMicroUsdc: bigint;
  allottedCu: bigint;
  priceMicroUsdcPerCu: bigint;
  sigma: { num: bigint; den: bigint };
  /** The settlement epoch after which no receipt of this day can remain unpaid. */
  releaseEpoch: number;
}

export interface Settlement {
  epoch: number;
  root: Hex;
  payouts: Map<Address, bigint>;
  claimed: Set<Address>;
  unclaimedMicroUsdc: bigint;
}

export interface Proposal {
  id: number;
  changes: Record<string, unknown>;
  etaMs: number;
}

export interface Totals {
  usdcDepositedMicroUsdc: bigint;
  usdcWithdrawnMicroUsdc: bigint;
  oneDepositedWei: bigint;
  oneWithdrawnWei: bigint;
  jobsSubmitted: number;
  jobsCompleted: number;
  jobsFailed: number;
  jobsExpired: number;
  receiptsSettled: number;
  settledMicroUsdc: bigint;
  includedPaidMicroUsdc: bigint;
  dedicatedPaidMicroUsdc: bigint;
  feesMicroUsdc: bigint;
  takeMicroUsdc: bigint;
  forfeitedMicroUsdc: bigint;
  refundedMicroUsdc: bigint;
  slashedMicroUsdc: bigint;
  bountiesMicroUsdc: bigint;
  oracleFeesMicroUsdc: bigint;
  availabilityRewardsMicroUsdc: bigint;
  withheldMicroUsdc: bigint;
  auditsOpened: number;
  auditsResolved: number;
  mismatchesConfirmed: number;
  availabilityDaysClosed: number;
  faultyDays: number;
}

/**
 * Ratio1's books (PROTOCOL.md §10), present only under `rewardRules: 'ratio1'`: the Proof-of-AI
 * escrow that settled receipts fill, what licences minted and what the escrow burned.
 */
export interface Ratio1Books {
  /** Settled receipts' pay, waiting to be paid per day to the nodes agreed active. */
  escrowMicroUsdc: bigint;
  /** Licence mining: new money entering at the boundary (Ratio1 mints R1). */
  mintedMicroUsdc: bigint;
  /** The escrow's burn share of each payment: leaves the system. */
  burnedMicroUsdc: bigint;
  /** What the escrow paid nodes, after the burn. */
  poaiPaidMicroUsdc: bigint;
  /** Per worker (licence), what it has mined: capped by licenceMiningCapMicroUsdc. */
  minedByWorker: Map<Address, bigint>;
  /** The last active-node set the oracles agreed on (kept while they do not agree). */
  activeNodes: Address[];
  /** Days on which oracle proposals reached no consensus. */
  consensusFailedDays: number;
  /**
   * Licences the owner banned (NDContract.banLicense): no licence release, no Proof-of-AI pay,
   * no jobs while banned. Absent until the first ban (earlier state hashes stay as they were).
   */
  banned?: Set<Address>;
}

export interface State {
  params: Params;
  nowMs: number;
  /** Last started credit day; -1 before genesis. */
  day: number;
  lastSettledEpoch: number;
  accounts: Map<Address, Account>;
  treasuryMicroUsdc: bigint;
  holders: Map<Address, Holder>;
  workers: Map<Address, Worker>;
  /** Per model, the workers with a free slot that may take a job now (routing index). */
  freeWorkers: Map<string, Set<Address>>;
  reservations: Map<number, Reservation>;
  /** Reservations with queued jobs, in id order of first wait. */
  dedicatedWaiting: number[];
  /**
   * Scheduler index (derived): a waiting reservation whose head job was live when dispatch last
   * looked at it, and until when its bucket cannot cover that job (Infinity: not in its window;
   * that dispatch's time when the bucket was not read because no worker was free). Dispatch
   * passes it over until then, and while its model has no free worker; whatever else changes its
   * queue or bucket (a submission, an expiry, a lease taken or ended, its end, a parameter
   * change) removes the entry so that the next dispatch looks again.
   */
  dedicatedNotBeforeMs: Map<number, number>;
  includedQueues: Map<string, IncludedQueue>;
  jobs: Map<number, Job>;
  openJobs: number;
  /** Min-heap of [deadlineAtMs, jobId] for expiry (lazy deletion). */
  deadlines: { atMs: number[]; jobIds: number[] };
  /** Completed job ids by the settlement epoch their receipt finished in. */
  pendingByEpoch: Map<number, number[]>;
  dayBudgets: Map<number, DayBudget>;
  settlements: Map<number, Settlement>;
  settlementPoolMicroUsdc: bigint;
  proposals: Map<number, Proposal>;
  oracles: Map<Address, Oracle>;
  audits: Map<number, Audit>;
  /** Per day, per reporting oracle, its scores for every node it watched. */
  availabilityReports: Map<number, Map<Address, Map<Address, number>>>;
  lastAvailabilityDay: number;
  lastAvailability: AvailabilityDay | null;
  /** Randomness of the last settled epoch's audits (keccak of its payout root and number). */
  lastRoot: Hex;
  nextJobId: number;
  nextReservationId: number;
  nextProposalId: number;
  totals: Totals;
  /** Only under `rewardRules: 'ratio1'` (absent otherwise, so ONE's state hashes stay as they were). */
  ratio1?: Ratio1Books;
  /** Deployments by model id; absent until the first one (so earlier state hashes stay as they were). */
  deployments?: Map<string, Deployment>;
}
