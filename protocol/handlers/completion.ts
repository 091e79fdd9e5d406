import type { Action } from '../actions.ts';
import { heapPeekAt, heapPop } from '../heap.ts';
import type { Receipt } from '../receipts/receipt.ts';
import { type Rejection, reject } from '../rejections.ts';
import { epochOf } from '../state.ts';
import { type Address, type Job, Lane, type State } from '../types.ts';
import type { Handler, StepContext } from './context.ts';
import { attested } from './kyc.ts';
import { endLease } from './lease.ts';
import { isRoutable, refreshWorkerIndex } from './routing.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

function receiptMismatch(job: Job, r: Receipt, nowMs: number): Rejection | null {
  // Field by field in this order, without building a list per receipt (the hot path).
  if (r.lane !== job.lane) return fieldMismatch(job, r, 'lane', job.lane);
  if (r.requester !== job.requester) return fieldMismatch(job, r, 'requester', job.requester);
  if (r.model !== job.model) return fieldMismatch(job, r, 'model', job.model);
  if (r.requestHash !== job.requestHash)
    return fieldMismatch(job, r, 'requestHash', job.requestHash);
  if (r.units !== job.units) return fieldMismatch(job, r, 'units', job.units);
  if (r.price !== job.priceMicroUsdcPerCu)
    return fieldMismatch(job, r, 'price', job.priceMicroUsdcPerCu);
  if (r.finishedAt !== nowMs) return fieldMismatch(job, r, 'finishedAt', nowMs);
  // A result equal to the request hash (an honest simulated worker's) is bytes32 hex already:
  // submitJob checked the request hash with the same pattern.
  if (
    r.resultHash !== job.requestHash &&
    (typeof r.resultHash !== 'string' || !/^0x[0-9a-f]{64}$/.test(r.resultHash))
  )
    return reject('ReceiptMismatch', `receipt.resultHash must be bytes32 hex, got ${r.resultHash}`);
  return null;
}

const fieldMismatch = (job: Job, r: Receipt, field: keyof Receipt, want: unknown): Rejection =>
  reject('ReceiptMismatch', `receipt.${field} is ${r[field]}, job ${job.id} has ${want}`);

/**
 * Who may complete a leased job: any registered worker that may take jobs (isRoutable, attested)
 * and serves its model, while the lease lasts. Slots do not apply: a pulling worker decides
 * itself how much it takes.
 */
function leaseTaker(state: State, job: Job, worker: Address, nowMs: number): Rejection | null {
  if (nowMs > job.leaseUntilMs!)
    return reject('LeaseExpired', `job ${job.id}'s lease ended at ${job.leaseUntilMs}`);
  const w = state.workers.get(worker);
  if (!w) return reject('UnknownWorker', `receipt names ${worker}, not a registered worker`);
  if (!w.models.includes(job.model))
    return reject('WrongWorker', `${worker} does not serve job ${job.id}'s model ${job.model}`);
  if (!isRoutable(state, w) || !attested(state, w.attestationExpiresAtMs, nowMs))
    return reject(
      'WorkerNotActive',
      `${worker} may not take jobs now (status, jail, bond, availability or attestation)`,
    );
  return null;
}

/** A worker finishes a job with a signed receipt chained to its previous one. */
export const completeJob: Handler<A<'completeJob'>> = (ctx, a) => {
  const { state, nowMs } = ctx;
  const r = a.receipt;
  const job = state.jobs.get(r.jobId);
  if (!job) return reject('UnknownJob', `no open job ${r.jobId}`);
  const leased = job.status === 'leased';
  if (leased) {
    const refused = leaseTaker(state, job, r.worker, nowMs);
    if (refused) return refused;
  } else if (job.status !== 'running')
    return reject('JobNotRunning', `job ${job.id} is ${job.status}`);
  else if (r.worker !== job.worker)
    return reject('WrongWorker', `job ${job.id} runs on ${job.worker}, receipt names ${r.worker}`);
  if (nowMs > job.deadlineAtMs)
    return reject('JobNotRunning', `job ${job.id} passed its deadline ${job.deadlineAtMs}`);
  const mismatch = receiptMismatch(job, r, nowMs);
  if (mismatch) return mismatch;
  const w = state.workers.get(r.worker)!;
  if (r.prev !== w.chainHead)
    return reject(
      'BadChainLink',
      `receipt.prev ${r.prev} is not ${w.address}'s head ${w.chainHead}`,
    );
  const id = ctx.verifier.receiptId(r);
  if (!ctx.verifier.verify(r, a.signature, id))
    return reject('BadSignature', `signature does not verify for ${r.worker}`);

  job.status = 'completed';
  job.receiptId = id;
  job.resultHash = r.resultHash;
  job.finishedAtMs = nowMs;
  w.chainHead = id;
  w.served += 1;
  if (leased) {
    job.worker = w.address;
    delete job.leaseUntilMs;
  } else {
    w.activeJobs -= 1;
    refreshWorkerIndex(state, w);
  }
  state.openJobs -= 1;
  state.totals.jobsCompleted += 1;
  if (job.lane === Lane.included) {
    const h = state.holders.get(job.requester)!;
    if (h.creditDay === job.creditDay) {
      h.reservedCu -= job.units;
      h.usedCu += job.units;
    }
  } else {
    const res = state.reservations.get(job.reservationId!)!;
    res.deliveredCu += job.units;
    res.committedMicroUsdc += job.units * job.priceMicroUsdcPerCu;
    res.openJobs -= 1;
  }
  const epoch = epochOf(state.params, nowMs);
  const pending = state.pendingByEpoch.get(epoch);
  if (pending) pending.push(job.id);
  else state.pendingByEpoch.set(epoch, [job.id]);
  ctx.events.push({
    type: 'JobCompleted',
    jobId: job.id,
    worker: w.address,
    receiptId: id,
    waitMs: nowMs - job.submittedAtMs,
  });
  return null;
};

/** Gives back what the job reserved and forgets it; returns the refunded units. */
function endUnfinished(state: State, job: Job): bigint {
  if (job.worker) {
    const w = state.workers.get(job.worker)!;
    w.failed += 1;
    w.activeJobs -= 1;
    refreshWorkerIndex(state, w);
  }
  if (job.lane === Lane.included) {
    const h = state.holders.get(job.requester)!;
    // Credits of a past day are not restored: they would roll over.
    if (h.creditDay === job.creditDay) h.reservedCu -= job.units;
  } else {
    const r = state.reservations.get(job.reservationId!)!;
    r.failedCu += job.units;
    r.openJobs -= 1;
    // A queued job may have been its queue's head: the next dispatch looks at the queue again.
    if (job.status === 'queued') state.dedicatedNotBeforeMs.delete(r.id);
  }
  state.jobs.delete(job.id);
  state.openJobs -= 1;
  return job.units;
}

export const failJob: Handler<A<'failJob'>> = (ctx, a) => {
  const job = ctx.state.jobs.get(a.jobId);
  if (!job) return reject('UnknownJob', `no open job ${a.jobId}`);
  if (job.status !== 'running') return reject('JobNotRunning', `job ${job.id} is ${job.status}`);
  if (job.worker !== a.worker) return reject('WrongWorker', `job ${job.id} runs on ${job.worker}`);
  const refunded = endUnfinished(ctx.state, job);
  ctx.state.totals.jobsFailed += 1;
  ctx.events.push({ type: 'JobFailed', jobId: job.id, lane: job.lane, worker: a.worker, refunded });
  return null;
};

/** Every job past its deadline ends now, refunded; a running one counts against its worker. */
export const expireJobs: Handler<A<'expireJobs'>> = (ctx: StepContext) => {
  const { state, nowMs } = ctx;
  for (;;) {
    const at = heapPeekAt(state.deadlines);
    if (at === undefined || at >= nowMs) break;
    const id = heapPop(state.deadlines)!;
    const job = state.jobs.get(id);
    if (!job || job.status === 'completed') continue;
    if (at < job.deadlineAtMs) {
      // A lease's end (or a stale one: the job was answered, or leased again since).
      if (job.status === 'leased' && job.leaseUntilMs === at) endLease(ctx, job);
      continue;
    }
    const worker = job.worker;
    const refunded = endUnfinished(state, job);
    state.totals.jobsExpired += 1;
    ctx.events.push({ type: 'JobExpired', jobId: id, lane: job.lane, worker, refunded });
  }
  return null;
};
