import type { Address, Hex, Job, Lane } from '../types.ts';

/**
 * A job receipt (PROTOCOL.md §6): binds request, model, worker and result. Field names are the
 * EIP-712 field names; `finishedAt` is ms since genesis, `price` micro-USDC per CU.
 */
export interface Receipt {
  jobId: number;
  lane: Lane;
  requester: Address;
  /** bytes32: sha256 of the model's bytes. */
  model: Hex;
  worker: Address;
  requestHash: Hex;
  resultHash: Hex;
  units: bigint;
  price: bigint;
  finishedAt: number;
  /** Id of the same worker's previous receipt (zero at genesis): receipts form a chain. */
  prev: Hex;
}

export const ZERO_HASH: Hex = `0x${'0'.repeat(64)}`;

/** What a worker's receipt for `job` must say: the job's own fields, its result, when it finished and its chain head. */
export type ReceiptOfJobParameters = {
  worker: Address;
  resultHash: Hex;
  finishedAt: number;
  /** The worker's chain head (its previous receipt's id). */
  prev: Hex;
};

/** The receipt a worker signs for `job` (the one shape completeJob checks field by field). */
export const receiptOfJob = (job: Job, r: ReceiptOfJobParameters): Receipt => ({
  jobId: job.id,
  lane: job.lane,
  requester: job.requester,
  model: job.model as Hex,
  worker: r.worker,
  requestHash: job.requestHash,
  resultHash: r.resultHash,
  units: job.units,
  price: job.priceMicroUsdcPerCu,
  finishedAt: r.finishedAt,
  prev: r.prev,
});

/** What an attestor signs about a worker (EIP-712 `Attestation`). */
export interface AttestationBody {
  worker: Address;
  identityHash: Hex;
  expiresAtMs: number;
}

export interface Attestation extends AttestationBody {
  attestor: Address;
  signature: Hex;
}

/** Checks signatures (receipts, attestations) and names receipts; injected so the simulator can go cheap. */
export interface ReceiptVerifier {
  readonly name: string;
  /** The receipt's id: the EIP-712 digest for real signatures. Used as the next receipt's prev. */
  receiptId(receipt: Receipt): Hex;
  /** True when `signature` over the receipt (whose id is `receiptId`) is the worker's. */
  verify(receipt: Receipt, signature: Hex, receiptId: Hex): boolean;
  /** True when the attestation is signed by `attestation.attestor`. */
  verifyAttestation(attestation: Attestation): boolean;
}

/** The signing side of a verifier: what workers (simulated or real) do. */
export interface ReceiptSigner {
  readonly worker: Address;
  sign(receipt: Receipt): Hex;
}
