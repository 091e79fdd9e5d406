import type { Action } from '../actions.ts';
import { dequeNew, dequePush, dequeShift, dequeUnshift } from '../deque.ts';
import { heapPush } from '../heap.ts';
import { reject } from '../rejections.ts';
import { type Deque, type Job, Lane, type State } from '../types.ts';
import type { Handler, StepContext } from './context.ts';
import { isModelId, refillBucket, tokensAt } from './reservations.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/**
 * The pull side of the market (the public ONE worker client polls anonymously and names itself
 * only in its receipt). `leaseJob` applies the scheduler's order — Dedicated within rate first,
 * then Included round-robin across holders — and hands the job out without a worker;
 * `completeJob` binds it to the receipt's worker. A lease that runs out puts the job back at
 * the front of its queue (and its tokens back in the bucket), so the order is kept.
 *
 * A lease that finds nothing changes nothing (no queue clean-up, no bucket refill), so an idle
 * poll need not be logged for a replay to rebuild the same state.
 */

/** The first queued job of a FIFO, read-only (ids of jobs that left are skipped, not dropped). */
function firstQueued(state: State, d: Deque<number>): Job | undefined {
  for (let i = d.head; i < d.items.length; i++) {
    const job = state.jobs.get(d.items[i]!);
    if (job && job.status === 'queued') return job;
  }
  return undefined;
}

/** Drops ids from the front until `job` is there, then takes it. */
function takeFront(state: State, d: Deque<number>, job: Job): void {
  for (;;) {
    const id = dequeShift(d);
    if (id === job.id || id === undefined) return;
    const j = state.jobs.get(id);
    if (j && j.status === 'queued')
      throw new Error(`leaseJob: queued job ${id} stood before job ${job.id}`);
  }
}

function leaseDedicated(ctx: StepContext, models: Set<string>): Job | null {
  const { state, nowMs } = ctx;
  const burst = state.params.dedicatedBurstMs;
  for (const id of state.dedicatedWaiting) {
    const r = state.reservations.get(id);
    if (!r) continue;
    const job = firstQueued(state, r.queue);
    if (!job || !models.has(job.model)) continue;
    if (tokensAt(r, nowMs, burst) < job.units * 1000n) continue;
    refillBucket(r, nowMs, burst);
    r.tokensMilliCu -= job.units * 1000n;
    state.dedicatedNotBeforeMs.delete(id);
    takeFront(state, r.queue, job);
    // A reservation waits while its FIFO holds anything (submitJob relies on it): empty it of
    // ids that left, and stop waiting only when nothing is left.
    if (!firstQueued(state, r.queue)) {
      r.queue = dequeNew<number>();
      state.dedicatedWaiting = state.dedicatedWaiting.filter((x) => x !== id);
    }
    return job;
  }
  return null;
}

function leaseIncluded(ctx: StepContext, models: Set<string>): Job | null {
  const { state } = ctx;
  for (const [model, q] of state.includedQueues) {
    if (!models.has(model)) continue;
    const holders = q.holders.items.length - q.holders.head;
    for (let k = 0; k < holders; k++) {
      const holder = q.holders.items[q.holders.head + k]!;
      const mine = q.perHolder.get(holder);
      const job = mine ? firstQueued(state, mine) : undefined;
      if (!job || !mine) continue;
      // The k holders before this one have nothing queued: drop them, as dispatch would.
      for (let idle = 0; idle < k; idle++) q.perHolder.delete(dequeShift(q.holders)!);
      dequeShift(q.holders);
      takeFront(state, mine, job);
      if (firstQueued(state, mine)) dequePush(q.holders, holder);
      else q.perHolder.delete(holder);
      if (q.holders.items.length === q.holders.head) state.includedQueues.delete(model);
      return job;
    }
  }
  return null;
}

export const leaseJob: Handler<A<'leaseJob'>> = (ctx, a) => {
  const { state, nowMs } = ctx;
  if (!Array.isArray(a.models) || a.models.length === 0 || a.models.length > 64)
    return reject('InvalidAction', `models must list 1 to 64 model ids, got ${String(a.models)}`);
  for (const m of a.models)
    if (!isModelId(m)) return reject('InvalidAction', `models: not a bytes32 model id: ${m}`);
  if (!Number.isSafeInteger(a.leaseUntilMs) || a.leaseUntilMs <= nowMs)
    return reject(
      'InvalidAction',
      `leaseUntilMs must be an integer after now (${nowMs}), got ${a.leaseUntilMs}`,
    );
  // An unnamed worker cannot show a replica: a deployed model's jobs go only to its holders.
  const deployed = state.deployments;
  const models = new Set(
    deployed === undefined ? a.models : a.models.filter((m) => !deployed.has(m)),
  );
  const job = leaseDedicated(ctx, models) ?? leaseIncluded(ctx, models);
  if (!job) return null;
  const until = Math.min(a.leaseUntilMs, job.deadlineAtMs);
  job.status = 'leased';
  job.leaseUntilMs = until;
  if (until < job.deadlineAtMs) heapPush(state.deadlines, until, job.id);
  ctx.events.push({
    type: 'JobLeased',
    jobId: job.id,
    lane: job.lane,
    model: job.model,
    leaseUntilMs: until,
  });
  return null;
};

/** A lease ran out unanswered: the job goes back to the front of its queue, its tokens to the bucket. */
export function endLease(ctx: StepContext, job: Job): void {
  const { state, nowMs } = ctx;
  job.status = 'queued';
  delete job.leaseUntilMs;
  if (job.lane === Lane.dedicated) {
    const r = state.reservations.get(job.reservationId!)!;
    refillBucket(r, nowMs, state.params.dedicatedBurstMs);
    const cap = r.rateCuPerSec * BigInt(state.params.dedicatedBurstMs);
    const back = r.tokensMilliCu + job.units * 1000n;
    r.tokensMilliCu = back < cap ? back : cap;
    dequeUnshift(r.queue, job.id);
    state.dedicatedNotBeforeMs.delete(r.id);
    if (!state.dedicatedWaiting.includes(r.id)) state.dedicatedWaiting.push(r.id);
  } else {
    let q = state.includedQueues.get(job.model);
    if (!q) {
      q = { holders: dequeNew(), perHolder: new Map() };
      state.includedQueues.set(job.model, q);
    }
    const mine = q.perHolder.get(job.requester);
    if (mine) dequeUnshift(mine, job.id);
    else {
      const d = dequeNew<number>();
      dequePush(d, job.id);
      q.perHolder.set(job.requester, d);
      dequePush(q.holders, job.requester);
    }
  }
  ctx.events.push({ type: 'JobLeaseEnded', jobId: job.id, lane: job.lane });
}
