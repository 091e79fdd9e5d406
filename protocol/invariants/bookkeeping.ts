import { dequeToArray } from '../deque.ts';
import type { ProtocolEvent } from '../events.ts';
import { coveredAtMs } from '../handlers/reservations.ts';
import { isRoutable } from '../handlers/routing.ts';
import { type Address, Lane, type State, type Totals } from '../types.ts';
import type { InvariantViolation } from './stateInvariants.ts';
import type { StepCheckParameters } from './stepInvariants.ts';

/**
 * Derived state equals its definition: the counters and indexes the handlers keep up to date by
 * hand (open jobs, a worker's active jobs, a reservation's open jobs, a holder's reserved
 * credits, the routing index, the queues) say what the jobs themselves say. A handler that
 * forgets one of them leaks a slot, loses a job from its queue or strands credits: no money
 * moves, so the other invariants stay quiet, but work stops being done.
 */
export function bookkeeping(s: State, out: InvariantViolation[]): void {
  const bad = (message: string) => out.push({ invariant: 'bookkeeping', message });
  let open = 0;
  const active = new Map<Address, number>();
  const perReservation = new Map<number, number>();
  const reserved = new Map<Address, bigint>();
  const pending = new Set<number>();
  for (const ids of s.pendingByEpoch.values()) for (const id of ids) pending.add(id);
  for (const job of s.jobs.values()) {
    if (job.status === 'completed') {
      if (!pending.has(job.id)) bad(`completed job ${job.id} is not pending settlement`);
      continue;
    }
    open += 1;
    if (job.status === 'running' && job.worker)
      active.set(job.worker, (active.get(job.worker) ?? 0) + 1);
    if (job.lane === Lane.dedicated)
      perReservation.set(job.reservationId!, (perReservation.get(job.reservationId!) ?? 0) + 1);
    else if (s.holders.get(job.requester)?.creditDay === job.creditDay)
      reserved.set(job.requester, (reserved.get(job.requester) ?? 0n) + job.units);
  }
  if (s.openJobs !== open) bad(`openJobs ${s.openJobs} ≠ ${open} jobs not completed`);
  for (const w of s.workers.values())
    if (w.activeJobs !== (active.get(w.address) ?? 0))
      bad(`${w.address} activeJobs ${w.activeJobs} ≠ ${active.get(w.address) ?? 0} running on it`);
  for (const r of s.reservations.values())
    if (r.openJobs !== (perReservation.get(r.id) ?? 0))
      bad(`reservation ${r.id} openJobs ${r.openJobs} ≠ ${perReservation.get(r.id) ?? 0} open`);
  for (const [k, h] of s.holders)
    if (h.reservedCu !== (reserved.get(k) ?? 0n))
      bad(`${k} reservedCu ${h.reservedCu} ≠ ${reserved.get(k) ?? 0n} CU of its open jobs today`);
  routingIndex(s, bad);
  queued(s, bad);
  passedOver(s, bad);
}

/**
 * The scheduler passes a reservation over only while its bucket cannot cover its head job, and
 * its entry says the head is live: an entry for a reservation without one, or one later than now
 * and than the time its bucket covers its head (a submission, expiry or lease that forgot to
 * remove it), would hold back a job the rules say must go.
 */
function passedOver(s: State, bad: (message: string) => void): void {
  const waiting = new Set(s.dedicatedWaiting);
  for (const [id, at] of s.dedicatedNotBeforeMs) {
    const r = s.reservations.get(id);
    if (!r || !waiting.has(id)) {
      bad(`reservation ${id} is passed over until ${at} but is not waiting`);
      continue;
    }
    const head = dequeToArray(r.queue)
      .map((x) => s.jobs.get(x))
      .find((j) => j?.status === 'queued');
    if (!head) {
      bad(`reservation ${id} is passed over until ${at} but has no queued job`);
      continue;
    }
    const covered = coveredAtMs(r, head.units * 1000n, s.params.dedicatedBurstMs);
    if (at > s.nowMs && at > covered)
      bad(
        `reservation ${id} is passed over until ${at}, but its bucket covers its head job ${head.id} at ${covered}`,
      );
  }
}

/** The routing index holds exactly the eligible workers with a free slot (lapsed KYC: lazily). */
function routingIndex(s: State, bad: (message: string) => void): void {
  for (const w of s.workers.values())
    for (const m of w.models) {
      // A deployed model's index follows its ready replicas (invariants/deployments.ts).
      if (s.deployments?.has(m)) continue;
      const listed = s.freeWorkers.get(m)?.has(w.address) ?? false;
      const free = isRoutable(s, w) && w.activeJobs < w.slots;
      const lapsed = s.params.kycRequired && w.attestationExpiresAtMs <= s.nowMs;
      if (listed && !free)
        bad(`${w.address} is listed for ${m} but has no free slot or may not work`);
      if (!listed && free && !lapsed) bad(`${w.address} is free for ${m} but not listed`);
    }
}

/** Every queued job is in its queue, and its queue is in the scheduler's rotation. */
function queued(s: State, bad: (message: string) => void): void {
  const inQueue = new Set<string>();
  const rotating = new Set<string>();
  for (const r of s.reservations.values())
    for (const id of dequeToArray(r.queue)) inQueue.add(`d${r.id}:${id}`);
  const waiting = new Set(s.dedicatedWaiting);
  for (const [model, q] of s.includedQueues) {
    for (const holder of dequeToArray(q.holders)) rotating.add(`${model}:${holder}`);
    for (const [holder, mine] of q.perHolder)
      for (const id of dequeToArray(mine)) inQueue.add(`i${model}:${holder}:${id}`);
  }
  for (const job of s.jobs.values()) {
    if (job.status !== 'queued') continue;
    if (job.lane === Lane.dedicated) {
      if (!inQueue.has(`d${job.reservationId}:${job.id}`))
        bad(`queued job ${job.id} is not in reservation ${job.reservationId}'s queue`);
      else if (!waiting.has(job.reservationId!))
        bad(`reservation ${job.reservationId} holds queued job ${job.id} but is not waiting`);
    } else if (!inQueue.has(`i${job.model}:${job.requester}:${job.id}`))
      bad(`queued job ${job.id} is not in ${job.requester}'s queue for its model`);
    else if (!rotating.has(`${job.model}:${job.requester}`))
      bad(`${job.requester} holds queued job ${job.id} but is not in the rotation`);
  }
}

type Ev<T extends ProtocolEvent['type']> = Extract<ProtocolEvent, { type: T }>;
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

/**
 * The event log accounts for the state (what an indexer reading only events relies on): each
 * total, the treasury and each worker's served and failed counts move in a step exactly as that
 * step's events say. Needs the previous state.
 */
export function checkEventsAccount(p: StepCheckParameters, out: InvariantViolation[]): void {
  const prev = p.prev;
  if (!prev) return;
  const s = p.state;
  const all = <T extends ProtocolEvent['type']>(type: T) =>
    p.events.filter((e): e is Ev<T> => e.type === type);
  const settled = all('ReceiptSettled');
  const slashes = all('Slashed');
  const closed = all('AvailabilityClosed');
  const moved = (type: 'Deposited' | 'Withdrawn', asset: 'usdc' | 'one') =>
    sum(all(type).flatMap((e) => (e.asset === asset ? [e.amount] : [])));
  const lane = (l: Lane) => sum(settled.flatMap((e) => (e.lane === l ? [e.grossMicroUsdc] : [])));
  const want: Partial<Record<keyof Totals, number | bigint>> = {
    jobsSubmitted: all('JobSubmitted').length,
    jobsCompleted: all('JobCompleted').length,
    jobsFailed: all('JobFailed').length,
    jobsExpired: all('JobExpired').length,
    receiptsSettled: settled.length,
    settledMicroUsdc: sum(settled.map((e) => e.grossMicroUsdc)),
    takeMicroUsdc: sum(settled.map((e) => e.takeMicroUsdc)),
    includedPaidMicroUsdc: lane(Lane.included),
    dedicatedPaidMicroUsdc: lane(Lane.dedicated),
    feesMicroUsdc: sum(all('Reserved').map((e) => e.feeMicroUsdc)),
    forfeitedMicroUsdc: sum(all('ReservationEnded').map((e) => e.forfeitedMicroUsdc)),
    slashedMicroUsdc: sum(slashes.map((e) => e.slashedMicroUsdc)),
    bountiesMicroUsdc: sum(slashes.map((e) => e.bountyMicroUsdc)),
    mismatchesConfirmed: slashes.length,
    auditsOpened: all('AuditOpened').length,
    auditsResolved: all('AuditResolved').length,
    availabilityDaysClosed: closed.length,
    faultyDays: closed.filter((e) => e.faulty).length,
    availabilityRewardsMicroUsdc: sum(closed.map((e) => e.rewardsMicroUsdc)),
    usdcDepositedMicroUsdc: moved('Deposited', 'usdc'),
    oneDepositedWei: moved('Deposited', 'one'),
    usdcWithdrawnMicroUsdc: moved('Withdrawn', 'usdc'),
    oneWithdrawnWei: moved('Withdrawn', 'one'),
  };
  for (const [k, v] of Object.entries(want)) {
    const key = k as keyof Totals;
    const d =
      typeof s.totals[key] === 'bigint'
        ? (s.totals[key] as bigint) - (prev.totals[key] as bigint)
        : (s.totals[key] as number) - (prev.totals[key] as number);
    if (d !== v)
      out.push({
        invariant: 'eventsAccount',
        message: `totals.${k} moved ${d}, the events say ${v}`,
      });
  }
  treasuryAccounts(p, out);
  completionsAccount(p, out);
  for (const w of s.workers.values()) {
    const before = prev.workers.get(w.address);
    const served = all('JobCompleted').filter((e) => e.worker === w.address).length;
    const failed = [...all('JobFailed'), ...all('JobExpired')].filter(
      (e) => e.worker === w.address,
    ).length;
    if (w.served - (before?.served ?? 0) !== served || w.failed - (before?.failed ?? 0) !== failed)
      out.push({
        invariant: 'eventsAccount',
        message: `${w.address} served ${before?.served ?? 0} → ${w.served}, failed ${before?.failed ?? 0} → ${w.failed}; the events say +${served}, +${failed}`,
      });
  }
}

/** The treasury moves only as the events say (fees, takes, budgets, slashes, oracle pay). */
function treasuryAccounts(p: StepCheckParameters, out: InvariantViolation[]): void {
  const prev = p.prev!;
  const s = p.state;
  const all = <T extends ProtocolEvent['type']>(type: T) =>
    p.events.filter((e): e is Ev<T> => e.type === type);
  let oraclePay = 0n;
  for (const [a, o] of s.oracles)
    oraclePay += o.earnedMicroUsdc - (prev.oracles.get(a)?.earnedMicroUsdc ?? 0n);
  // A day's allotment is earmarked at the Included price in force when it starts.
  const earmarked = sum(
    all('DayStarted').map((e) => e.allottedCu * s.params.includedPriceMicroUsdcPerCu),
  );
  const want =
    sum(all('TreasuryFunded').map((e) => e.amountMicroUsdc)) -
    earmarked +
    sum(all('ReceiptSettled').map((e) => e.takeMicroUsdc)) +
    sum(all('DayBudgetReleased').map((e) => e.returnedMicroUsdc)) -
    oraclePay +
    sum(all('Slashed').map((e) => e.slashedMicroUsdc - e.bountyMicroUsdc)) +
    sum(all('Reserved').map((e) => e.feeMicroUsdc)) +
    sum(all('ReservationEnded').map((e) => e.forfeitedMicroUsdc)) -
    sum(all('AvailabilityClosed').map((e) => e.rewardsMicroUsdc));
  const got = s.treasuryMicroUsdc - prev.treasuryMicroUsdc;
  if (got !== want)
    out.push({
      invariant: 'eventsAccount',
      message: `the treasury moved ${got}, the events say ${want}`,
    });
}

/**
 * A completion moves what it delivered: a holder's used credits (when the job's credit day is the
 * holder's), a reservation's delivered CU and committed pay by the job's units and price, and the
 * event's wait is the time since submission. Nothing else recomputes these once the job settles
 * and is forgotten, so only the step that completes the job can check them.
 */
function completionsAccount(p: StepCheckParameters, out: InvariantViolation[]): void {
  if (p.action?.type !== 'completeJob') return;
  const prev = p.prev!;
  const s = p.state;
  const bad = (message: string) => out.push({ invariant: 'eventsAccount', message });
  const used = new Map<Address, bigint>();
  const delivered = new Map<number, { cu: bigint; pay: bigint }>();
  for (const e of p.events) {
    if (e.type !== 'JobCompleted') continue;
    const job = s.jobs.get(e.jobId);
    if (!job) {
      bad(`job ${e.jobId} completed but is not in the state`);
      continue;
    }
    if (e.waitMs !== s.nowMs - job.submittedAtMs)
      bad(`job ${job.id}: waitMs ${e.waitMs} ≠ ${s.nowMs - job.submittedAtMs} since submission`);
    if (job.lane === Lane.included) {
      if (prev.holders.get(job.requester)?.creditDay === job.creditDay)
        used.set(job.requester, (used.get(job.requester) ?? 0n) + job.units);
    } else {
      const d = delivered.get(job.reservationId!) ?? { cu: 0n, pay: 0n };
      d.cu += job.units;
      d.pay += job.units * job.priceMicroUsdcPerCu;
      delivered.set(job.reservationId!, d);
    }
  }
  for (const [k, h] of s.holders) {
    const before = prev.holders.get(k);
    if (!before || before.creditDay !== h.creditDay) continue;
    const want = used.get(k) ?? 0n;
    if (h.usedCu - before.usedCu !== want)
      bad(`${k} usedCu ${before.usedCu} → ${h.usedCu}; its completed jobs say +${want}`);
  }
  for (const [id, r] of s.reservations) {
    const before = prev.reservations.get(id);
    if (!before) continue;
    const want = delivered.get(id) ?? { cu: 0n, pay: 0n };
    if (r.deliveredCu - before.deliveredCu !== want.cu)
      bad(
        `reservation ${id} deliveredCu ${before.deliveredCu} → ${r.deliveredCu}; its completed jobs say +${want.cu}`,
      );
    if (r.committedMicroUsdc - before.committedMicroUsdc !== want.pay)
      bad(
        `reservation ${id} committed ${before.committedMicroUsdc} → ${r.committedMicroUsdc}; its completed jobs say +${want.pay}`,
      );
  }
}
