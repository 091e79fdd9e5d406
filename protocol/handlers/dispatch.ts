import type { Action } from '../actions.ts';
import { dequePeek, dequePush, dequeShift, dequeSize } from '../deque.ts';
import type { Deque, Job, Reservation, State } from '../types.ts';
import type { Handler, StepContext } from './context.ts';
import { coveredAtMs, refillBucket } from './reservations.ts';
import { pickWorker, refreshWorkerIndex } from './routing.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/** Drops ids of jobs that left the queue (expired, failed) from the front; returns the head. */
function headJob(state: State, d: Deque<number>): Job | undefined {
  for (;;) {
    const id = dequePeek(d);
    if (id === undefined) return undefined;
    const job = state.jobs.get(id);
    if (job && job.status === 'queued') return job;
    dequeShift(d);
  }
}

function assign(ctx: StepContext, job: Job, reservation: Reservation | null): boolean {
  const w = pickWorker(ctx.state, job.model, ctx.nowMs);
  if (!w) return false;
  job.status = 'running';
  job.worker = w.address;
  w.activeJobs += 1;
  if (w.activeJobs >= w.slots) refreshWorkerIndex(ctx.state, w);
  if (reservation) reservation.tokensMilliCu -= job.units * 1000n;
  ctx.events.push({
    type: 'JobDispatched',
    jobId: job.id,
    lane: job.lane,
    worker: w.address,
    model: job.model,
  });
  return true;
}

/**
 * Dedicated first: each waiting reservation's FIFO, while its token bucket covers the head.
 *
 * `dedicatedNotBeforeMs` holds a reservation whose head job was live when last looked at; any
 * other change to its queue or bucket removes the entry. Such a reservation is passed over while
 * its bucket cannot cover the head (until the entry's time), and, when it reserved one model, while
 * that model has no free worker, without reading its jobs or its bucket. Neither can hand out a
 * job, so the jobs handed out are those of looking at every reservation every time. A bucket is
 * refilled only when it is read here with a worker free for its head (refilling is exact in
 * steps), so a passed-over bucket is not written at all.
 */
function dispatchDedicated(ctx: StepContext): void {
  const { state, nowMs } = ctx;
  const burst = state.params.dedicatedBurstMs;
  const notBefore = state.dedicatedNotBeforeMs;
  const stillWaiting: number[] = [];
  for (const id of state.dedicatedWaiting) {
    const at = notBefore.size > 0 ? notBefore.get(id) : undefined;
    if (at !== undefined && nowMs < at) {
      stillWaiting.push(id);
      continue;
    }
    const r = state.reservations.get(id);
    if (!r) continue;
    if (at !== undefined) {
      if (r.model !== null && (state.freeWorkers.get(r.model)?.size ?? 0) === 0) {
        stillWaiting.push(id);
        continue;
      }
      notBefore.delete(id);
    }
    // The loop ends at the queue's live head (nothing changes the queue after it is found), so
    // the head it ends on says whether the reservation still waits: one job lookup, not two.
    let job = headJob(state, r.queue);
    while (job !== undefined) {
      // pickWorker's own first test, made before the bucket is read.
      if ((state.freeWorkers.get(job.model)?.size ?? 0) === 0) {
        notBefore.set(id, nowMs);
        break;
      }
      const need = job.units * 1000n;
      refillBucket(r, nowMs, burst);
      if (r.tokensMilliCu < need) {
        notBefore.set(id, coveredAtMs(r, need, burst));
        break;
      }
      if (!assign(ctx, job, r)) break;
      dequeShift(r.queue);
      job = headJob(state, r.queue);
    }
    if (job !== undefined) stillWaiting.push(id);
  }
  state.dedicatedWaiting = stillWaiting;
}

/** Then Included, per model: round-robin across holders, FIFO within a holder. */
function dispatchIncluded(ctx: StepContext): void {
  const { state } = ctx;
  for (const [model, q] of state.includedQueues) {
    while (dequeSize(q.holders) > 0 && (state.freeWorkers.get(model)?.size ?? 0) > 0) {
      const holder = dequePeek(q.holders)!;
      const mine = q.perHolder.get(holder)!;
      const job = headJob(state, mine);
      if (job && !assign(ctx, job, null)) break;
      dequeShift(q.holders);
      if (job) dequeShift(mine);
      if (headJob(state, mine)) dequePush(q.holders, holder);
      else q.perHolder.delete(holder);
    }
    if (dequeSize(q.holders) === 0) state.includedQueues.delete(model);
  }
}

/** The scheduler: hands queued jobs to free eligible workers, Dedicated within rate first. */
export const dispatch: Handler<A<'dispatch'>> = (ctx) => {
  dispatchDedicated(ctx);
  dispatchIncluded(ctx);
  return null;
};
