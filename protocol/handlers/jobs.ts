import type { Action } from '../actions.ts';
import { dequeNew, dequePush, dequeSize } from '../deque.ts';
import { heapPush } from '../heap.ts';
import { type Rejection, reject } from '../rejections.ts';
import { dayOf } from '../state.ts';
import { type Job, Lane, type State, sealedModes } from '../types.ts';
import { positive } from './balances.ts';
import type { Handler, StepContext } from './context.ts';
import { isModelId } from './reservations.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;
type Submit = A<'submitJob'>;

const isHash = (h: unknown): boolean => typeof h === 'string' && /^0x[0-9a-f]{64}$/.test(h);

function checkSubmission(ctx: StepContext, a: Submit): Rejection | null {
  const { state, nowMs } = ctx;
  const p = state.params;
  if (state.day < 0 || dayOf(p, nowMs) !== state.day)
    return reject(
      'DayNotStarted',
      `day ${dayOf(p, nowMs)} has not started (last started: ${state.day})`,
    );
  if (!positive(a.units)) return reject('InvalidAmount', `units must be > 0, got ${a.units}`);
  if (a.units >= 1n << 64n) return reject('InvalidAmount', `units must fit uint64, got ${a.units}`);
  if (!isModelId(a.model))
    return reject('InvalidAction', `model must be a bytes32 hex id, got ${a.model}`);
  if (!isHash(a.requestHash))
    return reject('InvalidAction', `requestHash must be bytes32 hex, got ${a.requestHash}`);
  if (a.deadlineMs !== undefined && (!Number.isSafeInteger(a.deadlineMs) || a.deadlineMs <= 0))
    return reject('InvalidAction', `deadlineMs must be a positive integer, got ${a.deadlineMs}`);
  if (a.sealed !== undefined && !sealedModes.includes(a.sealed))
    return reject('InvalidAction', `sealed must be "auditable" or "private", got ${a.sealed}`);
  if (state.openJobs >= p.jobsOpenMax)
    return reject('QueueFull', `open jobs reached jobsOpenMax = ${p.jobsOpenMax}`);
  if (a.lane === Lane.included) {
    const h = state.holders.get(a.requester);
    const free = h && h.creditDay === state.day ? h.allotmentCu - h.usedCu - h.reservedCu : 0n;
    if (free < a.units)
      return reject(
        'InsufficientCredits',
        `${a.requester} has ${free} CU left today, job needs ${a.units}`,
      );
    return null;
  }
  if (a.lane !== Lane.dedicated)
    return reject('InvalidAction', `lane must be 0 or 1, got ${a.lane}`);
  const r = a.reservationId === undefined ? undefined : state.reservations.get(a.reservationId);
  if (!r) return reject('UnknownReservation', `no reservation ${a.reservationId}`);
  if (r.sponsor !== a.requester)
    return reject('NotReservationOwner', `reservation ${r.id} belongs to ${r.sponsor}`);
  if (r.ended || nowMs < r.startAtMs || nowMs >= r.endAtMs)
    return reject(
      'ReservationNotActive',
      `reservation ${r.id} runs [${r.startAtMs}, ${r.endAtMs}) ms`,
    );
  if (r.model !== null && r.model !== a.model)
    return reject('ModelNotCovered', `reservation ${r.id} covers ${r.model} only`);
  if (r.submittedCu + a.units > r.reservedCu)
    return reject(
      'ReservationExhausted',
      `reservation ${r.id} has ${r.reservedCu - r.submittedCu} CU left, job needs ${a.units}`,
    );
  if (a.units * 1000n > r.rateCuPerSec * BigInt(p.dedicatedBurstMs))
    return reject('InvalidAmount', `units ${a.units} exceed reservation ${r.id}'s burst capacity`);
  return null;
}

/** Accepts a job into its lane's queue, reserving its credits (Included) or escrowed CU (Dedicated). */
export const submitJob: Handler<Submit> = (ctx, a) => {
  const bad = checkSubmission(ctx, a);
  if (bad) return bad;
  const { state, nowMs } = ctx;
  const p = state.params;
  const deadlineMs = Math.min(a.deadlineMs ?? p.jobDeadlineDefaultMs, p.jobDeadlineMaxMs);
  const job: Job = {
    id: state.nextJobId++,
    lane: a.lane,
    requester: a.requester,
    model: a.model,
    units: a.units,
    priceMicroUsdcPerCu: 0n,
    requestHash: a.requestHash,
    submittedAtMs: nowMs,
    deadlineAtMs: nowMs + deadlineMs,
    status: 'queued',
    worker: null,
    reservationId: null,
    creditDay: state.day,
    receiptId: null,
    resultHash: null,
    finishedAtMs: 0,
    voided: false,
  };
  if (a.sealed !== undefined) job.sealed = a.sealed;
  if (a.lane === Lane.included) {
    state.holders.get(a.requester)!.reservedCu += a.units;
    job.priceMicroUsdcPerCu = state.dayBudgets.get(state.day)!.priceMicroUsdcPerCu;
    enqueueIncluded(state, job);
  } else {
    const r = state.reservations.get(a.reservationId!)!;
    r.submittedCu += a.units;
    r.openJobs += 1;
    job.priceMicroUsdcPerCu = r.priceMicroUsdcPerCu;
    job.reservationId = r.id;
    state.dedicatedNotBeforeMs.delete(r.id);
    if (dequeSize(r.queue) === 0 && !state.dedicatedWaiting.includes(r.id))
      state.dedicatedWaiting.push(r.id);
    dequePush(r.queue, job.id);
  }
  state.jobs.set(job.id, job);
  state.openJobs += 1;
  state.totals.jobsSubmitted += 1;
  heapPush(state.deadlines, job.deadlineAtMs, job.id);
  ctx.events.push({
    type: 'JobSubmitted',
    jobId: job.id,
    lane: job.lane,
    requester: job.requester,
    model: job.model,
    units: job.units,
  });
  return null;
};

function enqueueIncluded(state: State, job: Job): void {
  let q = state.includedQueues.get(job.model);
  if (!q) {
    q = { holders: dequeNew(), perHolder: new Map() };
    state.includedQueues.set(job.model, q);
  }
  let mine = q.perHolder.get(job.requester);
  if (!mine) {
    mine = dequeNew();
    q.perHolder.set(job.requester, mine);
    dequePush(q.holders, job.requester);
  }
  dequePush(mine, job.id);
}
