import type { Action } from '../actions.ts';
import { type SealedAuditPolicy, sealedAuditOf } from '../params.ts';
import { reject } from '../rejections.ts';
import { accountOf } from '../state.ts';
import { type Address, type Audit, type Hex, Lane, type SealedMode } from '../types.ts';
import { minBig, mulRatioFloor } from '../units.ts';
import { drawCommittee, isSampled } from '../verification/audit.ts';
import type { Handler, StepContext } from './context.ts';
import { refreshWorkerIndex } from './routing.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/**
 * Proof-of-AI, step 1 (at the end of epoch e, once its randomness exists): each receipt of
 * epoch e is sampled with probability p; a sampled one gets a committee of k oracles.
 */
export function openAudits(ctx: StepContext, epoch: number, randomness: Hex): void {
  const { state } = ctx;
  const p = state.params;
  const oracles = [...state.oracles.values()].filter((o) => o.active).map((o) => o.address);
  // Ratio1 re-executes nothing and slashes nobody (§10): no audits under its rules.
  if (state.ratio1 || p.auditSampleRate.num === 0n || oracles.length < p.auditQuorum) return;
  const sealedPolicy = sealedAuditOf(p);
  for (const id of state.pendingByEpoch.get(epoch) ?? []) {
    const job = state.jobs.get(id)!;
    if (job.sealed !== undefined && !sealedAuditable(sealedPolicy, job.sealed)) continue;
    if (!isSampled(randomness, job.receiptId!, p.auditSampleRate)) continue;
    const committee = drawCommittee(randomness, id, oracles, p.auditCommitteeSize);
    state.audits.set(id, {
      jobId: id,
      worker: job.worker!,
      requester: job.requester,
      epoch,
      committee,
      votes: new Map(),
    });
    state.totals.auditsOpened += 1;
    ctx.events.push({ type: 'AuditOpened', jobId: id, worker: job.worker!, epoch, committee });
  }
}

/**
 * Whether an oracle can check a sealed job: under 'opt-in' only if its requester re-encrypted it
 * to the committee; under 'tee' always (by attestation); under 'unaudited' never.
 */
export function sealedAuditable(policy: SealedAuditPolicy, mode: SealedMode): boolean {
  return policy === 'tee' || (policy === 'opt-in' && mode === 'auditable');
}

/** A committee oracle re-executed the job and reports the result digest it got. */
export const auditVerdict: Handler<A<'auditVerdict'>> = (ctx, a) => {
  const { state } = ctx;
  const audit = state.audits.get(a.jobId);
  if (!audit) return reject('UnknownAudit', `no open audit for job ${a.jobId}`);
  if (!state.oracles.get(a.oracle)?.active)
    return reject('UnknownOracle', `${a.oracle} is not an active oracle`);
  if (!audit.committee.includes(a.oracle))
    return reject('NotOnCommittee', `${a.oracle} is not on job ${a.jobId}'s committee`);
  if (audit.votes.has(a.oracle))
    return reject('AlreadyVoted', `${a.oracle} already voted on job ${a.jobId}`);
  if (typeof a.resultHash !== 'string' || !/^0x[0-9a-f]{64}$/.test(a.resultHash))
    return reject('InvalidAction', `resultHash must be bytes32 hex, got ${a.resultHash}`);
  audit.votes.set(a.oracle, a.resultHash);
  const job = state.jobs.get(a.jobId)!;
  ctx.events.push({
    type: 'AuditVote',
    jobId: a.jobId,
    oracle: a.oracle,
    match: a.resultHash === job.resultHash,
  });
  return null;
};

/**
 * Proof-of-AI, step 2 (before epoch e's receipts are paid): each voter is paid its fee from the
 * treasury; a mismatch confirmed by `auditQuorum` votes slashes the worker.
 */
export function resolveAudits(ctx: StepContext, epoch: number): void {
  const { state } = ctx;
  for (const audit of [...state.audits.values()]) {
    if (audit.epoch !== epoch) continue;
    const job = state.jobs.get(audit.jobId)!;
    let mismatches = 0;
    let reporter: Address | null = null;
    for (const [oracle, hash] of audit.votes) {
      payOracle(ctx, oracle);
      if (hash !== job.resultHash) {
        mismatches += 1;
        reporter ??= oracle;
      }
    }
    const confirmed = mismatches >= state.params.auditQuorum;
    state.audits.delete(audit.jobId);
    state.totals.auditsResolved += 1;
    ctx.events.push({
      type: 'AuditResolved',
      jobId: audit.jobId,
      worker: audit.worker,
      mismatches,
      votes: audit.votes.size,
      confirmed,
    });
    if (confirmed) slash(ctx, audit, mismatches, reporter);
  }
}

function payOracle(ctx: StepContext, oracle: Address): void {
  const { state } = ctx;
  const fee = minBig(state.params.oracleFeeMicroUsdcPerVerdict, state.treasuryMicroUsdc);
  const o = state.oracles.get(oracle)!;
  o.verdicts += 1;
  if (fee === 0n) return;
  state.treasuryMicroUsdc -= fee;
  accountOf(state, oracle).usdc += fee;
  o.earnedMicroUsdc += fee;
  state.totals.oracleFeesMicroUsdc += fee;
}

/**
 * A confirmed mismatch: a share of the bond is slashed (a bounty of it to the first reporter,
 * the rest to the treasury), every unsettled receipt of the worker is withheld, the faulty job's
 * requester gets its credits back (same day) or its escrow refunded, and the worker is jailed.
 */
function slash(ctx: StepContext, audit: Audit, mismatches: number, reporter: Address | null): void {
  const { state, nowMs } = ctx;
  const p = state.params;
  const w = state.workers.get(audit.worker)!;
  const slashed = mulRatioFloor(w.bondMicroUsdc, p.slashFraction);
  const bounty = reporter ? mulRatioFloor(slashed, p.bountyFraction) : 0n;
  w.bondMicroUsdc -= slashed;
  w.slashedMicroUsdc += slashed;
  if (reporter) accountOf(state, reporter).usdc += bounty;
  state.treasuryMicroUsdc += slashed - bounty;
  state.totals.slashedMicroUsdc += slashed;
  state.totals.bountiesMicroUsdc += bounty;
  state.totals.mismatchesConfirmed += 1;
  let withheld = 0n;
  for (const ids of state.pendingByEpoch.values())
    for (const id of ids) {
      const job = state.jobs.get(id)!;
      if (job.worker !== w.address || job.voided) continue;
      job.voided = true;
      withheld += job.units * job.priceMicroUsdcPerCu;
    }
  refundFaultyJob(ctx, audit.jobId);
  w.jailed = true;
  w.jailedUntilMs = nowMs + p.jailMs;
  refreshWorkerIndex(state, w);
  ctx.events.push({
    type: 'Slashed',
    worker: w.address,
    jobId: audit.jobId,
    mismatches,
    slashedMicroUsdc: slashed,
    bountyMicroUsdc: bounty,
    reporter,
    withheldMicroUsdc: withheld,
    jailedUntilMs: w.jailedUntilMs,
  });
}

/** The requester of the faulty job: credits back if still the same credit day. */
function refundFaultyJob(ctx: StepContext, jobId: number): void {
  const { state } = ctx;
  const job = state.jobs.get(jobId)!;
  if (job.lane !== Lane.included) return; // Dedicated: the voided receipt's escrow is refunded at settlement.
  const h = state.holders.get(job.requester);
  if (h && h.creditDay === job.creditDay) h.usedCu -= job.units;
}
