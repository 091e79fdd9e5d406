import { dequePeek } from '../deque.ts';
import { isRoutable } from '../handlers/routing.ts';
import { reject } from '../rejections.ts';
import { step } from '../step.ts';
import { type Address, type Job, Lane, type Reservation, type State } from '../types.ts';
import type { StepFn } from './randomRun.ts';

/**
 * Planted bugs: copies of the protocol with one thing wrong, for testing that the audit finds,
 * shrinks, saves and exports a failure. Selected by name (ONESIM_AUDIT_MUTANT in the CLI and in
 * generated regression tests); never used by a normal audit. Each wraps `step` so that the
 * result is what a realistic one-line bug in the handler would do (issue 21 lists the bugs the
 * detectors once missed; sim/audit/plantedBug.test.ts checks that each is caught now).
 */
export const plantedBugs: Record<string, StepFn> = {
  /** Settlement forgets that it paid, so the same receipts are paid again next epoch. */
  doubleSettle: (state, action, nowMs, env) => {
    const prevEpoch = action.type === 'settle' ? action.epoch - 1 : 0;
    const pending = action.type === 'settle' ? state.pendingByEpoch.get(prevEpoch) : undefined;
    const jobs = pending?.map((id) => structuredClone(state.jobs.get(id)!)) ?? [];
    const r = step(state, action, nowMs, env);
    if (r.ok && action.type === 'settle' && jobs.length > 0) {
      for (const job of jobs) state.jobs.set(job.id, job);
      state.pendingByEpoch.set(action.epoch, [
        ...(state.pendingByEpoch.get(action.epoch) ?? []),
        ...jobs.map((j) => j.id),
      ]);
    }
    return r;
  },
  /** A withdrawal pays out but forgets to debit the account. */
  freeWithdraw: (state, action, nowMs, env) => {
    const account = action.type === 'withdraw' ? state.accounts.get(action.account) : undefined;
    const before = account ? { usdc: account.usdc, one: account.one } : null;
    const r = step(state, action, nowMs, env);
    if (r.ok && action.type === 'withdraw' && before) {
      const after = state.accounts.get(action.account)!;
      after.usdc = before.usdc;
      after.one = before.one;
    }
    return r;
  },
  /** completeJob ignores the verifier's answer for Dedicated receipts (any signature passes). */
  dedicatedSignatureIgnored: (state, action, nowMs, env) => {
    const job = action.type === 'completeJob' ? state.jobs.get(action.receipt.jobId) : undefined;
    if (job?.lane !== Lane.dedicated) return step(state, action, nowMs, env);
    return step(state, action, nowMs, { verifier: { ...env.verifier, verify: () => true } });
  },
  /** startDay snapshots stake that is unbonding as if it were still bonded. */
  unbondingInSnapshot: (state, action, nowMs, env) => {
    if (action.type !== 'startDay') return step(state, action, nowMs, env);
    const extra = new Map<Address, bigint>();
    for (const [k, h] of state.holders) {
      const unbonding = h.unbonding.reduce((sum, u) => sum + u.amountOneWei, 0n);
      extra.set(k, unbonding);
      h.stakedOneWei += unbonding;
    }
    const r = step(state, action, nowMs, env);
    for (const [k, unbonding] of extra) state.holders.get(k)!.stakedOneWei -= unbonding;
    return r;
  },
  /** A failed or expired Included job's credits stay reserved (the refund line is forgotten). */
  includedCreditsKept: (state, action, nowMs, env) => {
    const jobs = new Map<number, Job>(state.jobs);
    const r = step(state, action, nowMs, env);
    if (r.ok)
      for (const e of r.events) {
        if (e.type !== 'JobFailed' && e.type !== 'JobExpired') continue;
        const job = jobs.get(e.jobId)!;
        const h = state.holders.get(job.requester);
        if (job.lane === Lane.included && h?.creditDay === job.creditDay) h.reservedCu += job.units;
      }
    return r;
  },
  /** endReservation pays the refund to the treasury and the forfeit to the sponsor. */
  refundForfeitSwapped: (state, action, nowMs, env) => {
    const res =
      action.type === 'endReservation' ? state.reservations.get(action.reservationId) : undefined;
    const r = step(state, action, nowMs, env);
    if (r.ok && res)
      for (const e of r.events) {
        if (e.type !== 'ReservationEnded') continue;
        const swap = e.forfeitedMicroUsdc - e.refundedMicroUsdc;
        state.accounts.get(res.sponsor)!.usdc += swap;
        state.treasuryMicroUsdc -= swap;
      }
    return r;
  },
  /**
   * dispatch compares the bucket with `<=`: a Dedicated head job that needs exactly the tokens
   * left waits (and Included jobs go ahead of it), though it is within its reserved rate.
   */
  dedicatedAtRateLimitWaits: (state, action, nowMs, env) => {
    if (action.type !== 'dispatch') return step(state, action, nowMs, env);
    const order = state.dedicatedWaiting;
    const skipped = new Set(order.filter((id) => atRateLimit(state, id, nowMs)));
    state.dedicatedWaiting = order.filter((id) => !skipped.has(id));
    const r = step(state, action, nowMs, env);
    const waiting = new Set(state.dedicatedWaiting);
    state.dedicatedWaiting = order.filter((id) => skipped.has(id) || waiting.has(id));
    return r;
  },
  /** leaseJob serves the Included queues before the Dedicated ones (pull-side inversion). */
  leaseIncludedFirst: (state, action, nowMs, env) => {
    if (action.type !== 'leaseJob') return step(state, action, nowMs, env);
    const waiting = state.dedicatedWaiting;
    state.dedicatedWaiting = [];
    const r = step(state, action, nowMs, env);
    state.dedicatedWaiting = [
      ...waiting,
      ...state.dedicatedWaiting.filter((id) => !waiting.includes(id)),
    ];
    if (r.ok && r.events.length === 0) return step(state, action, nowMs, env);
    return r;
  },
  /** settle pays Dedicated receipts at the Included price. */
  dedicatedAtIncludedPrice: (state, action, nowMs, env) => {
    if (action.type !== 'settle') return step(state, action, nowMs, env);
    const changed: Array<[Job, bigint]> = [];
    for (const id of state.pendingByEpoch.get(action.epoch - 1) ?? []) {
      const job = state.jobs.get(id)!;
      if (job.lane !== Lane.dedicated) continue;
      changed.push([job, job.priceMicroUsdcPerCu]);
      job.priceMicroUsdcPerCu = state.params.includedPriceMicroUsdcPerCu;
    }
    const r = step(state, action, nowMs, env);
    if (!r.ok) for (const [job, price] of changed) job.priceMicroUsdcPerCu = price;
    return r;
  },
  /** Audits confirm a mismatch one vote short of the quorum (`>= quorum - 1`). */
  quorumOffByOne: (state, action, nowMs, env) => {
    if (action.type !== 'settle' || state.params.auditQuorum < 2)
      return step(state, action, nowMs, env);
    const params = state.params;
    state.params = { ...params, auditQuorum: params.auditQuorum - 1 };
    try {
      return step(state, action, nowMs, env);
    } finally {
      state.params = params;
    }
  },
  /**
   * Dispatch ignores replicas: a deployed model's jobs may go to any free worker that lists the
   * model, as before deployments (the routing index is refreshed from the workers' models).
   */
  dispatchIgnoresReplicas: (state, action, nowMs, env) => {
    if (action.type !== 'dispatch' || state.deployments === undefined)
      return step(state, action, nowMs, env);
    const added: Array<[Set<Address>, Address]> = [];
    for (const model of state.deployments.keys())
      for (const w of state.workers.values()) {
        if (!w.models.includes(model) || !isRoutable(state, w) || w.activeJobs >= w.slots) continue;
        let set = state.freeWorkers.get(model);
        if (!set) {
          set = new Set();
          state.freeWorkers.set(model, set);
        }
        if (set.has(w.address)) continue;
        set.add(w.address);
        added.push([set, w.address]);
      }
    const r = step(state, action, nowMs, env);
    // Only the dispatch went wrong: the index is back to its books afterwards.
    for (const [set, address] of added) set.delete(address);
    return r;
  },
  /**
   * Routing keeps its index in address order, not rotation order: each dispatch scans the free
   * workers from the lowest address, so the same workers are offered every job first (the
   * chosen worker never moves to the back). No money moves differently at the step.
   */
  routingByAddress: (state, action, nowMs, env) => {
    if (action.type === 'dispatch')
      for (const [model, set] of state.freeWorkers)
        state.freeWorkers.set(model, new Set([...set].sort()));
    return step(state, action, nowMs, env);
  },
  /**
   * Dispatch hands out a Dedicated job without taking its CU from the reservation's token
   * bucket, so the sponsor is served above its reserved rate.
   */
  bucketNotDebited: (state, action, nowMs, env) => {
    const r = step(state, action, nowMs, env);
    if (r.ok && action.type === 'dispatch')
      for (const e of r.events) {
        if (e.type !== 'JobDispatched' || e.lane !== Lane.dedicated) continue;
        const job = state.jobs.get(e.jobId)!;
        state.reservations.get(job.reservationId!)!.tokensMilliCu += job.units * 1000n;
      }
    return r;
  },
  /** A claim pays but forgets that it did: the same payout can be claimed again. */
  claimTwice: (state, action, nowMs, env) => {
    const r = step(state, action, nowMs, env);
    if (r.ok && action.type === 'claim')
      state.settlements.get(action.epoch)?.claimed.delete(action.worker);
    return r;
  },
  // Over-rejection: each refuses an action the protocol's rules accept (caught by the
  // `honestAccepted` check, protocol/audit/honest.ts), and changes nothing else.
  /**
   * completeJob checks every receipt's price against the day's Included price: honest Dedicated
   * receipts (at the reservation's price) are refused whenever the two prices differ.
   */
  dedicatedReceiptRefused: (state, action, nowMs, env) => {
    const job = action.type === 'completeJob' ? state.jobs.get(action.receipt.jobId) : undefined;
    const included = state.dayBudgets.get(state.day)?.priceMicroUsdcPerCu;
    if (job?.lane === Lane.dedicated && included !== undefined && action.type === 'completeJob')
      if (action.receipt.price !== included)
        return reject(
          'ReceiptMismatch',
          `receipt.price is ${action.receipt.price}, job ${job.id} has ${included}`,
        );
    return step(state, action, nowMs, env);
  },
  /** unstake counts what is already unbonding against the stake: staked − unbonding ≥ amount. */
  unstakeUnbondingCounted: (state, action, nowMs, env) => {
    const h = action.type === 'unstake' ? state.holders.get(action.holder) : undefined;
    if (h && action.type === 'unstake') {
      const unbonding = h.unbonding.reduce((sum, u) => sum + u.amountOneWei, 0n);
      if (h.stakedOneWei - unbonding < action.amountOneWei)
        return reject(
          'InsufficientStake',
          `${action.holder} has ${h.stakedOneWei - unbonding} staked, asked ${action.amountOneWei}`,
        );
    }
    return step(state, action, nowMs, env);
  },
  // Under-rejection: each accepts an action the rules refuse, with no other effect on the
  // invariants (caught by `invalidRefused`).
  /** KYC checks everything about an attestation but its signature. */
  attestationSignatureIgnored: (state, action, nowMs, env) =>
    action.type === 'registerWorker' || action.type === 'renewAttestation'
      ? step(state, action, nowMs, { verifier: { ...env.verifier, verifyAttestation: () => true } })
      : step(state, action, nowMs, env),
  /** Adding or removing an oracle forgets to ask whether the proposer is the governor. */
  oracleSetByAnyone: (state, action, nowMs, env) =>
    action.type === 'registerOracle' || action.type === 'removeOracle'
      ? step(state, { ...action, proposer: state.params.governor }, nowMs, env)
      : step(state, action, nowMs, env),
  // Wrong effects that move no money (caught by `actionEffects`).
  /** unstake files the unbonding as released at once (`releaseAtMs = nowMs`, the period forgotten). */
  unbondingAtNow: (state, action, nowMs, env) => {
    const r = step(state, action, nowMs, env);
    if (r.ok && action.type === 'unstake') {
      const last = state.holders.get(action.holder)!.unbonding.at(-1)!;
      last.releaseAtMs = nowMs;
      for (const e of r.events) if (e.type === 'UnstakeStarted') e.releaseAtMs = nowMs;
    }
    return r;
  },
  /** exitWorker unlocks the bond at once (`bondReleaseAtMs = nowMs`, the unbonding forgotten). */
  exitBondUnlocked: (state, action, nowMs, env) => {
    const r = step(state, action, nowMs, env);
    if (r.ok && action.type === 'exitWorker') {
      state.workers.get(action.worker)!.bondReleaseAtMs = nowMs;
      for (const e of r.events) if (e.type === 'WorkerExiting') e.bondReleaseAtMs = nowMs;
    }
    return r;
  },
  /** expireJobs forgets leases: a lease that ran out stays leased (its job waits for its deadline). */
  leaseNeverEnds: (state, action, nowMs, env) => {
    if (action.type !== 'expireJobs') return step(state, action, nowMs, env);
    const leases = new Map<number, number>();
    for (const j of state.jobs.values())
      if (j.status === 'leased' && j.leaseUntilMs! < nowMs && j.deadlineAtMs >= nowMs) {
        leases.set(j.id, j.leaseUntilMs!);
        j.leaseUntilMs = j.deadlineAtMs;
      }
    const r = step(state, action, nowMs, env);
    for (const [id, until] of leases) {
      const j = state.jobs.get(id);
      if (j?.status === 'leased') j.leaseUntilMs = until;
    }
    return r;
  },
  /** claim asks whether anyone claimed the epoch, not this worker: one claim per epoch. */
  claimOnePerEpoch: (state, action, nowMs, env) => {
    const s = action.type === 'claim' ? state.settlements.get(action.epoch) : undefined;
    if (s && s.claimed.size > 0 && action.type === 'claim')
      return reject('AlreadyClaimed', `${action.worker} already claimed epoch ${action.epoch}`);
    return step(state, action, nowMs, env);
  },
};

/** The reservation's head job needs exactly the tokens its bucket holds at `nowMs`. */
function atRateLimit(state: State, id: number, nowMs: number): boolean {
  const r: Reservation | undefined = state.reservations.get(id);
  const headId = r ? dequePeek(r.queue) : undefined;
  const head = headId === undefined ? undefined : state.jobs.get(headId);
  if (!r || head?.status !== 'queued') return false;
  const cap = r.rateCuPerSec * BigInt(state.params.dedicatedBurstMs);
  const t = Math.min(nowMs, r.endAtMs);
  const accrued = t > r.tokensAtMs ? r.rateCuPerSec * BigInt(t - r.tokensAtMs) : 0n;
  const tokens = r.tokensMilliCu + accrued < cap ? r.tokensMilliCu + accrued : cap;
  return tokens === head.units * 1000n;
}
