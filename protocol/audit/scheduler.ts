import type { Action } from '../actions.ts';
import type { ProtocolEvent } from '../events.ts';
import {
  type Address,
  type Deque,
  type Job,
  Lane,
  type Reservation,
  type State,
  type Worker,
} from '../types.ts';
import { mayTakeJobs } from './honest.ts';

/**
 * The scheduler's rules as a reference model (the audit's `actionEffects` check, issue 21),
 * written from PROTOCOL.md §5 and the routing rule of protocol/README.md rather than from the
 * handlers: from the state before a `dispatch` or a `leaseJob`, which jobs must go out, in which
 * order, to which workers, and what is left in each reservation's token bucket. The handlers'
 * own routing index and queues are read as data (their order is the state's rotation and FIFO
 * order), but every membership and eligibility is re-derived here: an index that lists a worker
 * that may not take jobs, or leaves out one that may, is reported before anything else.
 *
 * - Dedicated first: reservations in their waiting order; each hands out its FIFO's head while
 *   its token bucket (R CU/s accrued since it was last read, capped at R · burst, only inside the
 *   reservation's window) covers the head's CU and a worker is free.
 * - Then Included, per model in queue order: round-robin across holders (the front holder's
 *   oldest queued job; the holder goes to the back while it has more, else leaves), FIFO within a
 *   holder, while a worker is free.
 * - Routing: the model's free workers in rotation order, skipping (and dropping) those whose KYC
 *   attestation has lapsed; among the first `routingScanMax` the one with the highest weight
 *   (reliability served / (served + failed), 1 for a new worker, times the availability score
 *   when `availabilityWeighting` is on), the first on a tie. It moves to the back of the rotation,
 *   and leaves every index when its slots are full.
 * - A lease (the pull side) takes the same first job among the models it names, Dedicated within
 *   rate first, without a worker, until min(its end, the job's deadline); deployed models are
 *   not leased (only a replica holder may take their jobs).
 */

type Check = (events: readonly ProtocolEvent[], after: State) => string | null;

/** The bucket's milli-CU at `nowMs` (reading it changes nothing). */
export function tokensAt(r: Reservation, nowMs: number, burstMs: number): bigint {
  const cap = r.rateCuPerSec * BigInt(burstMs);
  const t = Math.min(nowMs, r.endAtMs);
  const accrued = t > r.tokensAtMs ? r.rateCuPerSec * BigInt(t - r.tokensAtMs) : 0n;
  const total = r.tokensMilliCu + accrued;
  return total < cap ? total : cap;
}

/** The queued job ids of a FIFO, front first (ids of jobs that left it are skipped). */
function queuedIds(s: State, d: Deque<number> | undefined, taken: ReadonlySet<number>): number[] {
  if (!d) return [];
  const out: number[] = [];
  for (let i = d.head; i < d.items.length; i++) {
    const id = d.items[i]!;
    if (s.jobs.get(id)?.status === 'queued' && !taken.has(id) && !out.includes(id)) out.push(id);
  }
  return out;
}

/** Does `w` serve `model` through the index: its own model list, or a ready replica when deployed. */
function serves(s: State, w: Worker, model: string): boolean {
  const d = s.deployments?.get(model);
  return d === undefined ? w.models.includes(model) : d.holders.get(w.address) === true;
}

/** weight(a) > weight(b), exactly (BigInt cross-multiplication). */
function heavier(a: Worker, b: Worker, byAvailability: boolean): boolean {
  const frac = (w: Worker): [bigint, bigint] => {
    const total = w.served + w.failed;
    const [n, d] = total === 0 ? [1n, 1n] : [BigInt(w.served), BigInt(total)];
    return [byAvailability ? n * BigInt(w.availabilityScore) : n, d];
  };
  const [na, da] = frac(a);
  const [nb, db] = frac(b);
  return na * db > nb * da;
}

/** The dispatch a state must make at `nowMs`, or why its routing index is wrong. */
function expectedDispatch(
  s: State,
  nowMs: number,
): { out: { jobId: number; worker: string }[]; tokens: Map<number, bigint> } | string {
  const p = s.params;
  const active = new Map([...s.workers].map(([k, w]) => [k, w.activeJobs]));
  const hasSlot = (w: Worker) => active.get(w.address)! < w.slots;
  const lapsed = (w: Worker) => p.kycRequired && w.attestationExpiresAtMs <= nowMs;
  // The rotation per model, checked against who may take jobs.
  const rotation = new Map<string, Address[]>();
  const models = new Set<string>([...s.freeWorkers.keys()]);
  for (const w of s.workers.values()) for (const m of w.models) models.add(m);
  for (const d of s.deployments?.values() ?? []) models.add(d.model);
  for (const model of models) {
    const listed = [...(s.freeWorkers.get(model) ?? [])];
    for (const a of listed) {
      const w = s.workers.get(a);
      if (!w || lapsed(w)) continue; // dropped when routing meets it
      if (!mayTakeJobs(s, w, nowMs) || !serves(s, w, model) || !hasSlot(w))
        return `the routing index for ${model} lists ${a}, which may not take its jobs now (status ${w.status}, jailed ${w.jailed}, online ${w.online}, ${w.activeJobs}/${w.slots} slots busy)`;
    }
    for (const w of s.workers.values())
      if (
        mayTakeJobs(s, w, nowMs) &&
        serves(s, w, model) &&
        hasSlot(w) &&
        !listed.includes(w.address)
      )
        return `the routing index for ${model} leaves out ${w.address}, which may take its jobs with a free slot`;
    rotation.set(model, listed);
  }
  const pick = (model: string): Worker | null => {
    const order = rotation.get(model) ?? [];
    let best: Worker | null = null;
    let scanned = 0;
    for (let i = 0; i < order.length; ) {
      const w = s.workers.get(order[i]!)!;
      if (lapsed(w)) {
        order.splice(i, 1);
        continue;
      }
      if (best === null || heavier(w, best, p.availabilityWeighting)) best = w;
      i++;
      if (++scanned >= p.routingScanMax) break;
    }
    if (!best) return null;
    const chosen = best;
    order.splice(order.indexOf(chosen.address), 1);
    active.set(chosen.address, active.get(chosen.address)! + 1);
    if (hasSlot(chosen)) order.push(chosen.address);
    else
      for (const o of rotation.values())
        if (o.includes(chosen.address)) o.splice(o.indexOf(chosen.address), 1);
    return chosen;
  };
  const taken = new Set<number>();
  const out: { jobId: number; worker: string }[] = [];
  const tokens = new Map<number, bigint>();
  for (const id of s.dedicatedWaiting) {
    const r = s.reservations.get(id);
    if (!r) continue;
    let t = tokensAt(r, nowMs, p.dedicatedBurstMs);
    for (const jobId of queuedIds(s, r.queue, taken)) {
      const job = s.jobs.get(jobId)!;
      if (t < job.units * 1000n) break;
      const w = pick(job.model);
      if (!w) break;
      t -= job.units * 1000n;
      taken.add(jobId);
      out.push({ jobId, worker: w.address });
    }
    tokens.set(id, t);
  }
  for (const [model, q] of s.includedQueues) {
    const holders: Address[] = [];
    for (let i = q.holders.head; i < q.holders.items.length; i++) holders.push(q.holders.items[i]!);
    while (holders.length > 0 && (rotation.get(model)?.length ?? 0) > 0) {
      const holder = holders[0]!;
      const mine = queuedIds(s, q.perHolder.get(holder), taken);
      if (mine.length > 0) {
        const w = pick(model);
        if (!w) break;
        taken.add(mine[0]!);
        out.push({ jobId: mine[0]!, worker: w.address });
      }
      holders.shift();
      if (mine.length > 1) holders.push(holder);
    }
  }
  return { out, tokens };
}

function dispatchCheck(s: State, nowMs: number): Check {
  const want = expectedDispatch(s, nowMs);
  const burst = s.params.dedicatedBurstMs;
  return (events, after) => {
    if (typeof want === 'string') return `before dispatch at ${nowMs}: ${want}`;
    const got = events.flatMap((e) =>
      e.type === 'JobDispatched' ? [{ jobId: e.jobId, worker: e.worker }] : [],
    );
    const show = (xs: { jobId: number; worker: string }[]) =>
      xs.map((x) => `${x.jobId}→${x.worker}`).join(', ') || 'nothing';
    if (
      got.length !== want.out.length ||
      got.some((g, i) => g.jobId !== want.out[i]!.jobId || g.worker !== want.out[i]!.worker)
    )
      return `dispatch at ${nowMs} handed out ${show(got)}; the scheduler's rules say ${show(want.out)}`;
    for (const { jobId, worker } of want.out) {
      const j = after.jobs.get(jobId);
      if (j?.status !== 'running' || j.worker !== worker)
        return `dispatch at ${nowMs}: job ${jobId} is ${j?.status} with ${j?.worker}, the rules say running with ${worker}`;
    }
    for (const [id, t] of want.tokens) {
      const r = after.reservations.get(id);
      const have = r ? tokensAt(r, nowMs, burst) : undefined;
      if (have !== t)
        return `dispatch at ${nowMs}: reservation ${id}'s bucket holds ${have} milli-CU, the rules say ${t}`;
    }
    return null;
  };
}

/** The job a lease must take from the state before it (null: none), and the bucket after. */
function expectedLease(
  s: State,
  a: Extract<Action, { type: 'leaseJob' }>,
  nowMs: number,
): { job: Job; tokens?: { id: number; milliCu: bigint } } | null {
  const deployed = s.deployments;
  const models = new Set(a.models.filter((m) => deployed === undefined || !deployed.has(m)));
  for (const id of s.dedicatedWaiting) {
    const r = s.reservations.get(id);
    if (!r) continue;
    const head = queuedIds(s, r.queue, new Set())[0];
    const job = head === undefined ? undefined : s.jobs.get(head)!;
    if (!job || !models.has(job.model)) continue;
    const t = tokensAt(r, nowMs, s.params.dedicatedBurstMs);
    if (t < job.units * 1000n) continue;
    return { job, tokens: { id, milliCu: t - job.units * 1000n } };
  }
  for (const [model, q] of s.includedQueues) {
    if (!models.has(model)) continue;
    for (let i = q.holders.head; i < q.holders.items.length; i++) {
      const head = queuedIds(s, q.perHolder.get(q.holders.items[i]!), new Set())[0];
      if (head !== undefined) return { job: s.jobs.get(head)! };
    }
  }
  return null;
}

function leaseCheck(s: State, a: Extract<Action, { type: 'leaseJob' }>, nowMs: number): Check {
  const want = Array.isArray(a.models) ? expectedLease(s, a, nowMs) : null;
  const until = want ? Math.min(a.leaseUntilMs, want.job.deadlineAtMs) : 0;
  const jobId = want?.job.id;
  const lane = want?.job.lane;
  return (events, after) => {
    const leased = events.filter((e) => e.type === 'JobLeased');
    if (!want)
      return leased.length === 0
        ? null
        : `leaseJob at ${nowMs} leased job ${leased[0]!.jobId}; no queued job of ${a.models.join(',')} may go out (Dedicated within rate first, then Included)`;
    const e = leased[0];
    if (
      leased.length !== 1 ||
      e?.type !== 'JobLeased' ||
      e.jobId !== jobId ||
      e.lane !== lane ||
      e.leaseUntilMs !== until
    )
      return `leaseJob at ${nowMs} leased ${leased.map((x) => `job ${x.jobId}`).join(', ') || 'nothing'}; the rules say job ${jobId} (lane ${lane}) until ${until}`;
    const j = after.jobs.get(jobId!);
    if (j?.status !== 'leased' || j.leaseUntilMs !== until)
      return `leaseJob at ${nowMs}: job ${jobId} is ${j?.status} until ${j?.leaseUntilMs}, the rules say leased until ${until}`;
    if (want.tokens) {
      const r = after.reservations.get(want.tokens.id);
      const have = r ? tokensAt(r, nowMs, s.params.dedicatedBurstMs) : undefined;
      if (have !== want.tokens.milliCu)
        return `leaseJob at ${nowMs}: reservation ${want.tokens.id}'s bucket holds ${have} milli-CU, the rules say ${want.tokens.milliCu}`;
    }
    return null;
  };
}

/**
 * A lease that ran out (expireJobs): the job is queued again at the front of its FIFO (its
 * holder's, or its reservation's, which waits again), and a Dedicated job's CU go back into the
 * bucket, capped at R · burst.
 */
function leaseEndCheck(s: State, nowMs: number): Check {
  const burst = s.params.dedicatedBurstMs;
  const tokens = new Map(
    [...s.reservations].map(([id, r]) => [id, tokensAt(r, nowMs, burst)] as const),
  );
  const units = new Map([...s.jobs].map(([id, j]) => [id, j.units] as const));
  return (events, after) => {
    const expired = new Set(events.flatMap((e) => (e.type === 'JobExpired' ? [e.jobId] : [])));
    const want = new Map(tokens);
    const touched = new Set<number>();
    for (const e of events) {
      if (e.type !== 'JobLeaseEnded' || expired.has(e.jobId)) continue;
      const j = after.jobs.get(e.jobId);
      if (j?.status !== 'queued' || j.leaseUntilMs !== undefined)
        return `expireJobs at ${nowMs} ended job ${e.jobId}'s lease, but it is ${j?.status} (lease ${j?.leaseUntilMs}); the rules say queued again`;
      if (j.lane === Lane.dedicated) {
        const r = after.reservations.get(j.reservationId!)!;
        if (
          !queuedIds(after, r.queue, new Set()).includes(j.id) ||
          !after.dedicatedWaiting.includes(r.id)
        )
          return `expireJobs at ${nowMs}: job ${j.id} is not back in reservation ${r.id}'s waiting queue`;
        const cap = r.rateCuPerSec * BigInt(burst);
        const back = want.get(r.id)! + units.get(j.id)! * 1000n;
        want.set(r.id, back < cap ? back : cap);
        touched.add(r.id);
      } else {
        const q = after.includedQueues.get(j.model);
        const listed = q ? q.holders.items.slice(q.holders.head) : [];
        if (
          !q ||
          !queuedIds(after, q.perHolder.get(j.requester), new Set()).includes(j.id) ||
          !listed.includes(j.requester)
        )
          return `expireJobs at ${nowMs}: job ${j.id} is not back in ${j.requester}'s Included queue`;
      }
    }
    for (const id of touched) {
      const r = after.reservations.get(id)!;
      const have = tokensAt(r, nowMs, burst);
      if (have !== want.get(id))
        return `expireJobs at ${nowMs}: reservation ${id}'s bucket holds ${have} milli-CU after leases ended, the rules say ${want.get(id)}`;
    }
    return null;
  };
}

/** The scheduler's part of `actionEffects` for `a` (null: an action the scheduler rules do not cover). */
export function schedulerCheck(s: State, a: Action, nowMs: number): Check | null {
  if (a.type === 'dispatch') return dispatchCheck(s, nowMs);
  if (a.type === 'leaseJob') return leaseCheck(s, a, nowMs);
  if (a.type === 'expireJobs') return leaseEndCheck(s, nowMs);
  return null;
}
