import type { Action } from '../actions.ts';
import { buildPayoutTree, verifyPayoutProof } from '../merkle/payoutTree.ts';
import { reject } from '../rejections.ts';
import { accountOf } from '../state.ts';
import { type Address, type Job, Lane, type State } from '../types.ts';
import { mulRatioCeil } from '../units.ts';
import { epochRandomness } from '../verification/audit.ts';
import { openAudits, resolveAudits } from './audits.ts';
import type { Handler, StepContext } from './context.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/**
 * A withheld receipt pays nothing: Included, its earmark goes back with the day's budget;
 * Dedicated, its escrow goes back to the sponsor (at the reservation's end, or now if ended).
 */
function voidReceipt(state: State, job: Job): void {
  const gross = job.units * job.priceMicroUsdcPerCu;
  state.totals.withheldMicroUsdc += gross;
  if (job.lane === Lane.included) return;
  const r = state.reservations.get(job.reservationId!)!;
  r.committedMicroUsdc -= gross;
  if (!r.ended) {
    r.failedCu += job.units;
    return;
  }
  r.escrowMicroUsdc -= gross;
  accountOf(state, r.sponsor).usdc += gross;
  state.totals.refundedMicroUsdc += gross;
  if (r.escrowMicroUsdc === 0n) state.reservations.delete(r.id);
}

/** Moves one receipt's gross out of its source (day budget or escrow); returns the take. */
function payReceipt(state: State, job: Job): { gross: bigint; take: bigint } {
  const gross = job.units * job.priceMicroUsdcPerCu;
  // Ratio1 takes nothing per receipt: its escrow burns a share of what it pays (§10).
  const take = state.ratio1 ? 0n : mulRatioCeil(gross, state.params.takeRate);
  if (job.lane === Lane.included) {
    const budget = state.dayBudgets.get(job.creditDay);
    if (!budget || budget.paidMicroUsdc + gross > budget.earmarkedMicroUsdc)
      throw new Error(`assertion: day ${job.creditDay} budget cannot pay job ${job.id}`);
    budget.paidMicroUsdc += gross;
    state.totals.includedPaidMicroUsdc += gross;
  } else {
    const r = state.reservations.get(job.reservationId!)!;
    r.escrowMicroUsdc -= gross;
    r.committedMicroUsdc -= gross;
    state.totals.dedicatedPaidMicroUsdc += gross;
    if (r.ended && r.escrowMicroUsdc === 0n) state.reservations.delete(r.id);
  }
  return { gross, take };
}

/** Day budgets whose last possible receipt is now settled give what they did not pay back. */
function releaseDayBudgets(ctx: StepContext, epoch: number): void {
  const { state } = ctx;
  for (const [day, b] of state.dayBudgets) {
    if (b.releaseEpoch > epoch) continue;
    const returnedMicroUsdc = b.earmarkedMicroUsdc - b.paidMicroUsdc;
    state.treasuryMicroUsdc += returnedMicroUsdc;
    state.dayBudgets.delete(day);
    ctx.events.push({ type: 'DayBudgetReleased', day, returnedMicroUsdc });
  }
}

/**
 * Settlement of epoch e (run once epoch e is over) pays the receipts that finished in epoch
 * e − 1, leaving a whole epoch for verification. Workers get gross − take; the take (rounded up)
 * goes to the treasury; a Merkle root of (worker, amount) is posted for claims.
 */
export const settle: Handler<A<'settle'>> = (ctx, a) => {
  const { state, nowMs } = ctx;
  const p = state.params;
  if (a.epoch !== state.lastSettledEpoch + 1)
    return reject(
      'WrongEpoch',
      `next epoch to settle is ${state.lastSettledEpoch + 1}, got ${a.epoch}`,
    );
  const endsAtMs = (a.epoch + 1) * p.settlementEpochMs;
  if (nowMs < endsAtMs) return reject('TooEarly', `epoch ${a.epoch} ends at ${endsAtMs} ms`);
  resolveAudits(ctx, a.epoch - 1);
  const ids = state.pendingByEpoch.get(a.epoch - 1) ?? [];
  const payouts = new Map<Address, bigint>();
  let total = 0n;
  let paidReceipts = 0;
  for (const id of ids) {
    const job = state.jobs.get(id)!;
    if (job.voided) {
      voidReceipt(state, job);
      state.jobs.delete(id);
      continue;
    }
    paidReceipts += 1;
    const { gross, take } = payReceipt(state, job);
    const net = gross - take;
    const w = job.worker!;
    if (state.ratio1) state.ratio1.escrowMicroUsdc += net;
    else {
      payouts.set(w, (payouts.get(w) ?? 0n) + net);
      state.workers.get(w)!.earnedMicroUsdc += net;
      total += net;
    }
    state.treasuryMicroUsdc += take;
    state.totals.takeMicroUsdc += take;
    state.totals.settledMicroUsdc += gross;
    state.jobs.delete(id);
    ctx.events.push({
      type: 'ReceiptSettled',
      epoch: a.epoch,
      jobId: id,
      lane: job.lane,
      worker: w,
      grossMicroUsdc: gross,
      takeMicroUsdc: take,
    });
  }
  state.pendingByEpoch.delete(a.epoch - 1);
  state.totals.receiptsSettled += paidReceipts;
  const { root } = buildPayoutTree(payouts);
  if (payouts.size > 0)
    state.settlements.set(a.epoch, {
      epoch: a.epoch,
      root,
      payouts,
      claimed: new Set(),
      unclaimedMicroUsdc: total,
    });
  state.settlementPoolMicroUsdc += total;
  state.lastSettledEpoch = a.epoch;
  releaseDayBudgets(ctx, a.epoch);
  // Epoch a.epoch is over: its receipts are known and its randomness is fixed by this root.
  state.lastRoot = root;
  openAudits(ctx, a.epoch, epochRandomness(root, a.epoch));
  ctx.events.push({
    type: 'EpochSettled',
    epoch: a.epoch,
    root,
    receipts: paidReceipts,
    totalMicroUsdc: total,
  });
  return null;
};

/** A worker claims its epoch payout with a Merkle proof; each (epoch, worker) pays once. */
export const claim: Handler<A<'claim'>> = (ctx, a) => {
  const { state } = ctx;
  const s = state.settlements.get(a.epoch);
  if (!s) return reject('UnknownSettlement', `no payouts posted for epoch ${a.epoch}`);
  if (s.claimed.has(a.worker))
    return reject('AlreadyClaimed', `${a.worker} already claimed epoch ${a.epoch}`);
  if (!Array.isArray(a.proof) || !verifyPayoutProof(s.root, a.worker, a.amountMicroUsdc, a.proof))
    return reject(
      'InvalidProof',
      `proof for ${a.worker} = ${a.amountMicroUsdc} does not match root ${s.root}`,
    );
  s.claimed.add(a.worker);
  s.unclaimedMicroUsdc -= a.amountMicroUsdc;
  state.settlementPoolMicroUsdc -= a.amountMicroUsdc;
  accountOf(state, a.worker).usdc += a.amountMicroUsdc;
  ctx.events.push({
    type: 'Claimed',
    epoch: a.epoch,
    worker: a.worker,
    amountMicroUsdc: a.amountMicroUsdc,
  });
  return null;
};
