import type { Action } from '../actions.ts';
import type { ProtocolEvent } from '../events.ts';
import { type Deque, type Job, Lane, type State } from '../types.ts';
import { show } from './show.ts';

type Check = (events: readonly ProtocolEvent[], after: State) => string | null;

const tail = <T>(d: Deque<T> | undefined): T | undefined =>
  d && d.items.length > d.head ? d.items[d.items.length - 1] : undefined;
const inDeque = <T>(d: Deque<T> | undefined, x: T) => (d?.items.slice(d.head) ?? []).includes(x);

/**
 * §5, a submission (the audit's `actionEffects` check, issue 21): the job gets the next id and
 * waits, queued and unassigned, with the fields the rules fix: its deadline `min(asked or
 * default, max)` after now, today's credit day, the price of its lane (the day budget's Included
 * price, or its reservation's), sealed only if asked. Included: the holder's reserved CU grows by
 * the units and the job is last in the holder's queue for the model; Dedicated: the reservation's
 * submitted CU and open jobs grow, the job is last in its queue and the reservation is among those
 * waiting. The open-job count, the next id and the submitted total move by one.
 */
export function submitCheck(s: State, a: Action, nowMs: number): Check | null {
  if (a.type !== 'submitJob') return null;
  const p = s.params;
  const id = s.nextJobId;
  const r = a.lane === Lane.dedicated ? s.reservations.get(a.reservationId ?? -1) : undefined;
  const price =
    a.lane === Lane.included
      ? s.dayBudgets.get(s.day)?.priceMicroUsdcPerCu
      : r?.priceMicroUsdcPerCu;
  const want: Partial<Job> = {
    id,
    lane: a.lane,
    requester: a.requester,
    model: a.model,
    units: a.units,
    priceMicroUsdcPerCu: price,
    requestHash: a.requestHash,
    submittedAtMs: nowMs,
    deadlineAtMs: nowMs + Math.min(a.deadlineMs ?? p.jobDeadlineDefaultMs, p.jobDeadlineMaxMs),
    status: 'queued',
    worker: null,
    reservationId: r?.id ?? null,
    creditDay: s.day,
    receiptId: null,
    resultHash: null,
    voided: false,
    sealed: a.sealed,
  };
  const reserved = s.holders.get(a.requester)?.reservedCu ?? 0n;
  const submitted = r ? { cu: r.submittedCu, open: r.openJobs } : undefined;
  const counts = [s.openJobs + 1, id + 1, s.totals.jobsSubmitted + 1];
  return (_events, after) => {
    const j = after.jobs.get(id);
    const got = j && Object.fromEntries(Object.keys(want).map((k) => [k, j[k as keyof Job]]));
    if (show(got) !== show(want))
      return `submitJob: job ${id} is ${show(got)}; the rules say ${show(want)}`;
    const c = [after.openJobs, after.nextJobId, after.totals.jobsSubmitted];
    if (show(c) !== show(counts))
      return `submitJob: open jobs, next id and jobs submitted are ${show(c)}; the rules say ${show(counts)}`;
    if (a.lane === Lane.included) {
      const h = after.holders.get(a.requester);
      const q = after.includedQueues.get(a.model);
      if (h?.reservedCu !== reserved + a.units)
        return `submitJob: ${a.requester} has ${h?.reservedCu} CU reserved, the rules say ${reserved + a.units}`;
      if (tail(q?.perHolder.get(a.requester)) !== id || !inDeque(q?.holders, a.requester))
        return `submitJob: job ${id} is not last in ${a.requester}'s queue for ${a.model}, or the holder is not in the round`;
      return null;
    }
    const g = r && after.reservations.get(r.id);
    if (!g || !submitted) return `submitJob: reservation ${a.reservationId} is gone`;
    if (g.submittedCu !== submitted.cu + a.units || g.openJobs !== submitted.open + 1)
      return `submitJob: reservation ${g.id} has ${g.submittedCu} CU submitted and ${g.openJobs} open jobs; the rules say ${submitted.cu + a.units} and ${submitted.open + 1}`;
    if (tail(g.queue) !== id || !after.dedicatedWaiting.includes(g.id))
      return `submitJob: job ${id} is not last in reservation ${g.id}'s queue, or the reservation is not waiting`;
    return null;
  };
}
