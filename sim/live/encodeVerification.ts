import type { Attestation, Receipt } from '../../protocol/receipts/receipt.ts';
import type { Address, Hex, State } from '../../protocol/types.ts';

/**
 * The verification layer's signatures on chain. With the simulator's signatures (cheap, over
 * model addresses) the chain checks real ones over chain addresses, so the driver re-signs: an
 * attestation the sim verifier accepts is signed by the attestor's chain key, any other by a key
 * that is no attestor's; a sampled receipt is signed by its worker's chain key. With real
 * signatures in the contract's domain (model address = chain address) they pass through as is.
 */
export interface LiveSigners {
  /** The EIP-712 signature the chain gets for attestation `a` (`body` in chain addresses). */
  attestation(
    a: Attestation,
    body: { worker: Address; identityHash: Hex; expiresAtMs: number },
  ): Hex;
  /** The EIP-712 signature the chain gets for a receipt (`receipt` in chain addresses). */
  receipt(workerModel: Address, receipt: Receipt): Hex;
}

const bytes32 = (v: unknown): v is Hex => typeof v === 'string' && /^0x[0-9a-f]{64}$/.test(v);
const address = (v: unknown): v is Address => typeof v === 'string' && /^0x[0-9a-f]{40}$/.test(v);
export const pad32 = (h: string): Hex => `0x${h.slice(2).padStart(64, '0')}`;
const noAttestation = {
  present: false,
  worker: `0x${'0'.repeat(40)}`,
  attestor: `0x${'0'.repeat(40)}`,
  identityHash: pad32('0x'),
  expiresAtMs: 0n,
  signature: '0x',
};

/** The `Attestation` tuple, or null when the model's value has no encoding (it must reject it). */
export function encodeAttestation(
  a: Attestation | undefined,
  chainOf: (m: Address) => Address,
  sign: LiveSigners,
): typeof noAttestation | null {
  if (a === undefined) return noAttestation;
  if (!address(a.worker) || !address(a.attestor) || !bytes32(a.identityHash)) return null;
  if (!Number.isSafeInteger(a.expiresAtMs) || a.expiresAtMs < 0) return null;
  const worker = chainOf(a.worker);
  const body = { worker, identityHash: a.identityHash, expiresAtMs: a.expiresAtMs };
  const signature = sign.attestation(a, body);
  return {
    present: true,
    worker,
    attestor: chainOf(a.attestor),
    identityHash: a.identityHash,
    expiresAtMs: BigInt(a.expiresAtMs),
    signature,
  };
}

/** A model receipt in chain addresses, words padded to bytes32 (sim receipt ids are 8 bytes). */
export function chainReceipt(r: Receipt, chainOf: (m: Address) => Address): Receipt {
  return {
    ...r,
    requester: chainOf(r.requester),
    worker: chainOf(r.worker),
    model: pad32(r.model),
    requestHash: pad32(r.requestHash),
    resultHash: pad32(r.resultHash),
    prev: pad32(r.prev),
  };
}

/** Workers a settlement of `epoch` will slash (audits of epoch − 1 with a quorum of mismatches). */
export function workersSlashedAt(state: State, epoch: number): Set<Address> {
  const out = new Set<Address>();
  for (const audit of state.audits.values()) {
    if (audit.epoch !== epoch - 1) continue;
    const job = state.jobs.get(audit.jobId);
    let mismatches = 0;
    for (const hash of audit.votes.values()) if (hash !== job?.resultHash) mismatches += 1;
    if (mismatches >= state.params.auditQuorum) out.add(audit.worker);
  }
  return out;
}

/**
 * The audits a settlement of `epoch` opened (read from the model after it settled): each sampled
 * receipt, its worker's real signature and its committee, as `settle`'s AuditPost[].
 */
export function openedAuditPosts(
  state: State,
  epoch: number,
  receipts: ReadonlyMap<number, Receipt>,
  chainOf: (m: Address) => Address,
  sign: LiveSigners,
): unknown[] {
  const posts: unknown[] = [];
  for (const audit of state.audits.values()) {
    if (audit.epoch !== epoch) continue;
    const r = receipts.get(audit.jobId);
    if (!r) throw new Error(`assertion: no receipt recorded for audited job ${audit.jobId}`);
    const c = chainReceipt(r, chainOf);
    posts.push({
      receipt: { ...c, jobId: BigInt(c.jobId), finishedAt: BigInt(c.finishedAt) },
      signature: sign.receipt(r.worker, c),
      committee: audit.committee.map(chainOf),
    });
  }
  return posts;
}
