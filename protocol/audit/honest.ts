import type { Action } from '../actions.ts';
import { buildPayoutTree } from '../merkle/payoutTree.ts';
import { uint256Max } from '../onChainTypes.ts';
import { checkParams, genesisParams, immutableParams } from '../params.ts';
import type { Attestation, Receipt } from '../receipts/receipt.ts';
import { receiptOfJob } from '../receipts/receipt.ts';
import { createSimSigner, simVerifier } from '../receipts/simVerifier.ts';
import { dayOf } from '../state.ts';
import { type Address, type Job, Lane, type State, sealedModes, type Worker } from '../types.ts';

/**
 * The audit's "honest actions are accepted" check (issue 21): which actions the protocol's rules
 * say must be accepted in `state` at `nowMs`. Derived from the rules themselves (PROTOCOL.md, the
 * handlers' documented contracts: a deposit within the token's supply, a withdrawal within the
 * balance, an assigned worker's receipt with the job's fields, chained and signed before the
 * deadline, …), never by calling a handler, so a handler that refuses honest work is caught.
 *
 * Exact: it returns a reason only where every rule the action meets is known to hold, so
 * `onesim audit` must never see one of these rejected on correct code (check `honestAccepted`).
 * For the action types in `ruledTypes` it also knows every rule, so null there means the rules
 * refuse the action, and an accepted one is a failure too (check `invalidRefused`). Signatures are
 * checked as the simulator's verifier checks them (the one the audit's steps run with).
 */
/**
 * The action types whose every rule `honestReason` checks: one of these that it does not call
 * honest must be refused. (Types it knows only some rules of are left out.)
 */
export const ruledTypes: ReadonlySet<Action['type']> = new Set<Action['type']>([
  'expireJobs',
  'dispatch',
  'startDay',
  'settle',
  'deposit',
  'withdraw',
  'fundTreasury',
  'stake',
  'unstake',
  'claimUnbonded',
  'reserve',
  'endReservation',
  'submitJob',
  'leaseJob',
  'completeJob',
  'failJob',
  'claim',
  'registerWorker',
  'setWorkerOnline',
  'exitWorker',
  'withdrawBond',
  'topUpBond',
  'releaseJail',
  'renewAttestation',
  'registerOracle',
  'removeOracle',
  'postAvailability',
  'closeAvailabilityDay',
  'auditVerdict',
  'proposeParams',
  'executeProposal',
  'cancelProposal',
  'banLicence',
  'unbanLicence',
  'deployModel',
  'scaleDeployment',
  'removeDeployment',
  'replicaReady',
]);

export function honestReason(s: State, a: Action, nowMs: number): string | null {
  if (!Number.isSafeInteger(nowMs) || nowMs < s.nowMs) return null;
  const p = s.params;
  switch (a.type) {
    case 'expireJobs':
    case 'dispatch':
      return `${a.type} always applies`;
    case 'startDay':
      return a.day === s.day + 1 && nowMs >= a.day * p.dayMs
        ? `day ${a.day} starts at or after its boundary`
        : null;
    case 'settle':
      return a.epoch === s.lastSettledEpoch + 1 && nowMs >= (a.epoch + 1) * p.settlementEpochMs
        ? `epoch ${a.epoch} settles once it is over`
        : null;
    case 'deposit': {
      const t = s.totals;
      const supply =
        a.asset === 'usdc'
          ? t.usdcDepositedMicroUsdc - t.usdcWithdrawnMicroUsdc
          : t.oneDepositedWei - t.oneWithdrawnWei;
      return a.amount > 0n && a.amount <= uint256Max - supply
        ? `a deposit of ${a.amount} ${a.asset} within the token's supply`
        : null;
    }
    case 'withdraw': {
      const acct = s.accounts.get(a.account);
      const have = acct ? (a.asset === 'usdc' ? acct.usdc : acct.one) : 0n;
      return a.amount > 0n && a.amount <= have
        ? `a withdrawal of ${a.amount} ${a.asset} within ${a.account}'s balance ${have}`
        : null;
    }
    case 'fundTreasury':
      return a.amountMicroUsdc > 0n && a.amountMicroUsdc <= usdc(s, a.from)
        ? `treasury funding within ${a.from}'s balance`
        : null;
    case 'stake':
      return a.amountOneWei > 0n && a.amountOneWei <= (s.accounts.get(a.holder)?.one ?? 0n)
        ? `a stake of ${a.amountOneWei} within ${a.holder}'s ONE balance`
        : null;
    case 'unstake':
      return a.amountOneWei > 0n && a.amountOneWei <= (s.holders.get(a.holder)?.stakedOneWei ?? 0n)
        ? `an unstake of ${a.amountOneWei} within ${a.holder}'s bonded stake`
        : null;
    case 'claimUnbonded':
      return s.holders.get(a.holder)?.unbonding.some((u) => u.releaseAtMs <= nowMs)
        ? `${a.holder} has matured unbonding`
        : null;
    case 'reserve':
      return honestReservation(s, a, nowMs);
    case 'endReservation': {
      const r = s.reservations.get(a.reservationId);
      return r &&
        !r.ended &&
        r.openJobs === 0 &&
        nowMs >= r.endAtMs + p.jobDeadlineMaxMs + p.jobGraceMs
        ? `reservation ${r.id} has closed with no open job`
        : null;
    }
    case 'submitJob':
      return honestSubmission(s, a, nowMs);
    case 'leaseJob':
      return Array.isArray(a.models) &&
        a.models.length >= 1 &&
        a.models.length <= 64 &&
        a.models.every(isHash32) &&
        Number.isSafeInteger(a.leaseUntilMs) &&
        a.leaseUntilMs > nowMs
        ? 'a lease of known models until a later time'
        : null;
    case 'completeJob':
      return honestReceipt(s, a.receipt, a.signature, nowMs);
    case 'failJob': {
      const job = s.jobs.get(a.jobId);
      return job?.status === 'running' && job.worker === a.worker
        ? `job ${job.id}'s own worker gives it up`
        : null;
    }
    case 'claim': {
      const settled = s.settlements.get(a.epoch);
      const owed = settled?.payouts.get(a.worker);
      if (!settled || owed === undefined || settled.claimed.has(a.worker)) return null;
      const proof = buildPayoutTree(settled.payouts).proof(a.worker, owed);
      return a.amountMicroUsdc === owed && sameList(a.proof, proof)
        ? `${a.worker}'s first claim of its epoch ${a.epoch} payout, with its proof`
        : null;
    }
    case 'registerWorker':
      return honestRegistration(s, a, nowMs);
    case 'setWorkerOnline':
    case 'exitWorker':
      return s.workers.get(a.worker)?.status === 'active' ? `${a.type} of an active worker` : null;
    case 'withdrawBond': {
      const w = s.workers.get(a.worker);
      return w?.status === 'exiting' && nowMs >= w.bondReleaseAtMs && w.activeJobs === 0
        ? `${a.worker}'s bond has unlocked`
        : null;
    }
    case 'topUpBond': {
      const w = s.workers.get(a.worker);
      return w &&
        w.status !== 'exited' &&
        a.amountMicroUsdc > 0n &&
        a.amountMicroUsdc <= usdc(s, a.worker)
        ? `a bond top-up within ${a.worker}'s balance`
        : null;
    }
    case 'releaseJail': {
      const w = s.workers.get(a.worker);
      return w?.jailed && nowMs >= w.jailedUntilMs && w.bondMicroUsdc >= p.workerBondMinMicroUsdc
        ? `${a.worker} served its jail with its bond topped up`
        : null;
    }
    case 'renewAttestation': {
      const w = s.workers.get(a.worker);
      return w && w.status !== 'exited' && honestAttestation(s, a.worker, a.attestation, nowMs)
        ? `a valid attestation for registered ${a.worker}`
        : null;
    }
    case 'registerOracle':
      return a.proposer === p.governor &&
        /^0x[0-9a-f]{40}$/.test(a.oracle) &&
        !s.oracles.get(a.oracle)?.active
        ? `the governor adds ${a.oracle}`
        : null;
    case 'removeOracle':
      return a.proposer === p.governor && s.oracles.get(a.oracle)?.active
        ? `the governor removes active ${a.oracle}`
        : null;
    case 'postAvailability':
      return s.oracles.get(a.oracle)?.active &&
        Number.isSafeInteger(a.day) &&
        a.day > s.lastAvailabilityDay &&
        a.day < s.day &&
        !s.availabilityReports.get(a.day)?.has(a.oracle) &&
        Array.isArray(a.scores) &&
        a.scores.every(
          (e) => Array.isArray(e) && Number.isInteger(e[1]) && e[1] >= 0 && e[1] <= 255,
        )
        ? `an active oracle's first report of finished day ${a.day}`
        : null;
    case 'closeAvailabilityDay':
      return a.day === s.lastAvailabilityDay + 1 && a.day < s.day
        ? `the next availability day, ${a.day}, is over`
        : null;
    case 'auditVerdict': {
      const audit = s.audits.get(a.jobId);
      return audit &&
        s.oracles.get(a.oracle)?.active &&
        audit.committee.includes(a.oracle) &&
        !audit.votes.has(a.oracle) &&
        isHash32(a.resultHash)
        ? `a committee oracle's first verdict on job ${a.jobId}`
        : null;
    }
    case 'proposeParams':
      return a.proposer === p.governor && changesValid(s, a.changes)
        ? 'the governor proposes valid changes'
        : null;
    case 'executeProposal': {
      const prop = s.proposals.get(a.proposalId);
      return prop && nowMs >= prop.etaMs && changesValid(s, prop.changes)
        ? `proposal ${prop.id} is past its timelock and still valid`
        : null;
    }
    case 'cancelProposal':
      return a.proposer === p.governor && s.proposals.has(a.proposalId)
        ? `the governor cancels queued proposal ${a.proposalId}`
        : null;
    // Deployments (protocol/README.md, "Deployments").
    case 'deployModel':
      return isHash32(a.model) &&
        !s.deployments?.has(a.model) &&
        (s.deployments?.size ?? 0) < 256 &&
        isPositiveInt(a.sizeBytes) &&
        replicasValid(a.replicas) &&
        (a.minMemoryBytes === undefined ||
          (Number.isSafeInteger(a.minMemoryBytes) && a.minMemoryBytes >= 0)) &&
        (a.region === undefined || isLabel(a.region)) &&
        (a.tag === undefined || isLabel(a.tag))
        ? `a valid deployment of undeployed ${a.model}`
        : null;
    case 'scaleDeployment':
      return s.deployments?.get(a.model)?.owner === a.owner && replicasValid(a.replicas)
        ? `the owner rescales its deployment within 1..64`
        : null;
    case 'removeDeployment':
      return s.deployments?.get(a.model)?.owner === a.owner
        ? 'the owner removes its deployment'
        : null;
    case 'replicaReady':
      return s.deployments?.get(a.model)?.holders.get(a.worker) === false
        ? `${a.worker} was placed a replica of ${a.model} and reports it fetched`
        : null;
    // Ratio1's owner bans (protocol/README.md, rule 6).
    case 'banLicence':
    case 'unbanLicence':
      return s.ratio1 &&
        a.owner === p.governor &&
        s.workers.has(a.worker) &&
        (s.ratio1.banned?.has(a.worker) ?? false) === (a.type === 'unbanLicence')
        ? `the owner ${a.type === 'banLicence' ? 'bans' : 'unbans'} ${a.worker}'s licence`
        : null;
    default:
      return null;
  }
}

const isPositiveInt = (v: unknown): boolean =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const replicasValid = (v: unknown): boolean => isPositiveInt(v) && (v as number) <= 64;
const isLabel = (v: unknown): boolean => typeof v === 'string' && /^[a-z0-9-]{1,32}$/.test(v);

const isHash32 = (h: unknown): boolean => typeof h === 'string' && /^0x[0-9a-f]{64}$/.test(h);
const usdc = (s: State, who: Address) => s.accounts.get(who)?.usdc ?? 0n;
const sameList = (x: unknown, y: readonly unknown[]) =>
  Array.isArray(x) && x.length === y.length && x.every((v, i) => v === y[i]);

type Of<T extends Action['type']> = Extract<Action, { type: T }>;

/** A reservation the sponsor can pay for: positive rate, a whole-second duration within bounds. */
function honestReservation(s: State, a: Of<'reserve'>, nowMs: number): string | null {
  const p = s.params;
  const startAtMs = a.startAtMs ?? nowMs;
  if (a.rateCuPerSec <= 0n || !Number.isSafeInteger(a.durationMs) || a.durationMs % 1000 !== 0)
    return null;
  if (a.durationMs < p.reservationMinMs || a.durationMs > p.reservationMaxMs) return null;
  if (!Number.isSafeInteger(startAtMs) || startAtMs < nowMs) return null;
  if (a.model !== null && !isHash32(a.model)) return null;
  // §4: R CU/s for the duration at the Dedicated price, upfront, plus the fee φ (rounded up).
  const cost = ((a.rateCuPerSec * BigInt(a.durationMs)) / 1000n) * p.dedicatedPriceMicroUsdcPerCu;
  const fee = (cost * p.dedicatedFee.num + p.dedicatedFee.den - 1n) / p.dedicatedFee.den;
  return cost + fee <= usdc(s, a.sponsor)
    ? `a reservation ${a.sponsor} can pay for (${cost} + fee ${fee})`
    : null;
}

/**
 * A job its requester may submit now: the day has started, the queue has room, and Included
 * credits left today (§3: allotment − used − reserved) or, for Dedicated, the sponsor's own
 * active reservation covering the model with the CU left and within its burst (§4, §5).
 */
function honestSubmission(s: State, a: Of<'submitJob'>, nowMs: number): string | null {
  const p = s.params;
  if (s.day < 0 || dayOf(p, nowMs) !== s.day) return null;
  if (a.units <= 0n || a.units >= 1n << 64n || !isHash32(a.model) || !isHash32(a.requestHash))
    return null;
  if (a.deadlineMs !== undefined && (!Number.isSafeInteger(a.deadlineMs) || a.deadlineMs <= 0))
    return null;
  if (a.sealed !== undefined && !sealedModes.includes(a.sealed)) return null;
  if (s.openJobs >= p.jobsOpenMax) return null;
  if (a.lane === Lane.included) {
    const h = s.holders.get(a.requester);
    const free = h && h.creditDay === s.day ? h.allotmentCu - h.usedCu - h.reservedCu : 0n;
    return a.units <= free ? `an Included job within ${a.requester}'s ${free} CU left today` : null;
  }
  if (a.lane !== Lane.dedicated || a.reservationId === undefined) return null;
  const r = s.reservations.get(a.reservationId);
  if (!r || r.ended || r.sponsor !== a.requester) return null;
  if (nowMs < r.startAtMs || nowMs >= r.endAtMs) return null;
  if (r.model !== null && r.model !== a.model) return null;
  if (r.submittedCu + a.units > r.reservedCu) return null;
  if (a.units * 1000n > r.rateCuPerSec * BigInt(p.dedicatedBurstMs)) return null;
  return `a Dedicated job on ${a.requester}'s active reservation ${r.id}, within what it has left`;
}

/**
 * §5: registered, active, bonded, not jailed, online, available and (under KYC) attested now;
 * under Ratio1's rules, not banned by the owner (protocol/README.md, rule 6).
 */
export function mayTakeJobs(s: State, w: Worker | undefined, nowMs: number): w is Worker {
  const p = s.params;
  return (
    w !== undefined &&
    w.status === 'active' &&
    !w.jailed &&
    w.online &&
    w.bondMicroUsdc >= p.workerBondMinMicroUsdc &&
    w.availabilityScore >= p.availabilityMinScore &&
    (!p.kycRequired || w.attestationExpiresAtMs > nowMs) &&
    !s.ratio1?.banned?.has(w.address)
  );
}

/**
 * §6: the receipt a job's worker signs: the job's fields, a bytes32 result, finished now, chained
 * to the worker's last receipt and signed by its own key, before the job's deadline. The worker
 * is the one the job was pushed to, or for a leased job any worker that may take jobs and serves
 * its model, while the lease lasts.
 */
function honestReceipt(s: State, r: Receipt, signature: unknown, nowMs: number): string | null {
  const job: Job | undefined = s.jobs.get(r.jobId);
  if (!job || nowMs > job.deadlineAtMs) return null;
  const w = s.workers.get(r.worker);
  if (!w) return null;
  if (job.status === 'running') {
    if (job.worker !== r.worker) return null;
  } else if (job.status === 'leased') {
    if (nowMs > job.leaseUntilMs! || !w.models.includes(job.model) || !mayTakeJobs(s, w, nowMs))
      return null;
  } else return null;
  if (!isHash32(r.resultHash)) return null;
  const want = receiptOfJob(job, {
    worker: r.worker,
    resultHash: r.resultHash,
    finishedAt: nowMs,
    prev: w.chainHead,
  });
  for (const k of Object.keys(want) as Array<keyof Receipt>) if (want[k] !== r[k]) return null;
  if (signature !== createSimSigner(r.worker).sign(r)) return null;
  const lane = job.lane === Lane.included ? 'Included' : 'Dedicated';
  return `${r.worker}'s signed receipt for ${lane} ${job.status} job ${job.id}, chained and on time`;
}

/** §2: under KYC, an attestation for `worker` signed by a listed attestor, not lapsed. */
function honestAttestation(
  s: State,
  worker: Address,
  a: Attestation | undefined,
  nowMs: number,
): boolean {
  if (!s.params.kycRequired) return true;
  return (
    a !== undefined &&
    a.worker === worker &&
    s.params.attestors.includes(a.attestor) &&
    Number.isSafeInteger(a.expiresAtMs) &&
    a.expiresAtMs > nowMs &&
    isHash32(a.identityHash) &&
    simVerifier.verifyAttestation(a)
  );
}

function honestRegistration(s: State, a: Of<'registerWorker'>, nowMs: number): string | null {
  const p = s.params;
  const existing = s.workers.get(a.worker);
  if (existing && existing.status !== 'exited') return null;
  if (!Array.isArray(a.models) || a.models.length === 0 || a.models.length > p.workerModelsMax)
    return null;
  if (!a.models.every(isHash32) || new Set(a.models).size !== a.models.length) return null;
  if (!Number.isSafeInteger(a.slots) || a.slots < 1 || a.slots > p.workerSlotsMax) return null;
  if (a.capacityCuPerSec <= 0n || a.bondMicroUsdc < p.workerBondMinMicroUsdc) return null;
  if (a.bondMicroUsdc > usdc(s, a.worker)) return null;
  // Deployment fields, when given: memory > 0, a region label, up to 8 distinct tag labels.
  if (a.memoryBytes !== undefined && !isPositiveInt(a.memoryBytes)) return null;
  if (a.region !== undefined && !isLabel(a.region)) return null;
  if (
    a.tags !== undefined &&
    (a.tags.length > 8 || !a.tags.every(isLabel) || new Set(a.tags).size !== a.tags.length)
  )
    return null;
  return honestAttestation(s, a.worker, a.attestation, nowMs)
    ? `${a.worker} registers with a bond it holds and a valid configuration`
    : null;
}

/** Governance may change a parameter that is neither fixed at genesis nor immutable, to valid values. */
function changesValid(s: State, changes: unknown): boolean {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return false;
  const keys = Object.keys(changes);
  const fixed: readonly string[] = [...immutableParams, ...genesisParams];
  if (keys.some((k) => fixed.includes(k) || !(k in s.params))) return false;
  return checkParams({ ...s.params, ...changes }).ok;
}
