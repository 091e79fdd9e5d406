import type { Action } from '../actions.ts';
import { dequeNew } from '../deque.ts';
import { ZERO_HASH } from '../receipts/receipt.ts';
import { reject } from '../rejections.ts';
import { accountOf, usdcOf } from '../state.ts';
import type { Reservation } from '../types.ts';
import { mulRatioCeil } from '../units.ts';
import { positive } from './balances.ts';
import type { Handler } from './context.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

export const bucketCapacityMilliCu = (r: Reservation, burstMs: number): bigint =>
  r.rateCuPerSec * BigInt(burstMs);

/**
 * Token bucket: R CU/s accrue as milli-CU per ms, only inside the reservation's window, capped
 * at R · burst. `tokensMilliCu` is the level at `tokensAtMs`; refilling in steps gives the same
 * level as refilling once (min(cap, min(cap, x + a) + b) = min(cap, x + a + b) for a, b ≥ 0), so
 * a bucket need not be refilled at every dispatch: dispatch refills one only when a worker is free
 * for its head job, a lease when it takes or returns a job; `tokensAt` reads it without writing.
 */
export function refillBucket(r: Reservation, nowMs: number, burstMs: number): void {
  const t = Math.min(nowMs, r.endAtMs);
  if (t <= r.tokensAtMs) return;
  const cap = bucketCapacityMilliCu(r, burstMs);
  const next = r.tokensMilliCu + r.rateCuPerSec * BigInt(t - r.tokensAtMs);
  r.tokensMilliCu = next < cap ? next : cap;
  r.tokensAtMs = t;
}

/** The bucket's tokens at `nowMs` without refilling it (pure). */
export function tokensAt(r: Reservation, nowMs: number, burstMs: number): bigint {
  const t = Math.min(nowMs, r.endAtMs);
  if (t <= r.tokensAtMs) return r.tokensMilliCu;
  const cap = bucketCapacityMilliCu(r, burstMs);
  const next = r.tokensMilliCu + r.rateCuPerSec * BigInt(t - r.tokensAtMs);
  return next < cap ? next : cap;
}

/**
 * The first time (ms) at which the bucket holds `needMilliCu`, as it stands (nothing taken or put
 * back meanwhile): `Infinity` if it never will, because the window closes first or the need is
 * above the cap.
 */
export function coveredAtMs(r: Reservation, needMilliCu: bigint, burstMs: number): number {
  if (r.tokensMilliCu >= needMilliCu) return r.tokensAtMs;
  if (needMilliCu > bucketCapacityMilliCu(r, burstMs)) return Number.POSITIVE_INFINITY;
  const deficit = needMilliCu - r.tokensMilliCu;
  const atMs = r.tokensAtMs + Number((deficit + r.rateCuPerSec - 1n) / r.rateCuPerSec);
  return atMs <= r.endAtMs ? atMs : Number.POSITIVE_INFINITY;
}

/**
 * Buys `rateCuPerSec` for `durationMs` at the Dedicated price, paid upfront: the cost goes into
 * escrow and the fee φ (charged on top, rounded up) to the treasury.
 */
export const reserve: Handler<A<'reserve'>> = (ctx, a) => {
  const { state, nowMs } = ctx;
  const p = state.params;
  const startAtMs = a.startAtMs ?? nowMs;
  if (!positive(a.rateCuPerSec))
    return reject('InvalidReservation', `rateCuPerSec must be > 0, got ${a.rateCuPerSec}`);
  if (!Number.isSafeInteger(a.durationMs) || a.durationMs % 1000 !== 0)
    return reject('InvalidReservation', `durationMs must be whole seconds, got ${a.durationMs}`);
  if (a.durationMs < p.reservationMinMs || a.durationMs > p.reservationMaxMs)
    return reject(
      'InvalidReservation',
      `durationMs must be in [${p.reservationMinMs}, ${p.reservationMaxMs}], got ${a.durationMs}`,
    );
  if (!Number.isSafeInteger(startAtMs) || startAtMs < nowMs)
    return reject('InvalidReservation', `startAtMs must be ≥ now (${nowMs}), got ${startAtMs}`);
  if (a.model !== null && !isModelId(a.model))
    return reject('InvalidReservation', `model must be a bytes32 hex id or null, got ${a.model}`);
  const price = p.dedicatedPriceMicroUsdcPerCu;
  const reservedCu = (a.rateCuPerSec * BigInt(a.durationMs)) / 1000n;
  const costMicroUsdc = reservedCu * price;
  const feeMicroUsdc = mulRatioCeil(costMicroUsdc, p.dedicatedFee);
  const have = usdcOf(state, a.sponsor);
  if (have < costMicroUsdc + feeMicroUsdc)
    return reject(
      'InsufficientBalance',
      `${a.sponsor} holds ${have} USDC units, reservation costs ${costMicroUsdc + feeMicroUsdc}`,
    );
  accountOf(state, a.sponsor).usdc -= costMicroUsdc + feeMicroUsdc;
  state.treasuryMicroUsdc += feeMicroUsdc;
  state.totals.feesMicroUsdc += feeMicroUsdc;
  const id = state.nextReservationId++;
  const r: Reservation = {
    id,
    sponsor: a.sponsor,
    model: a.model,
    rateCuPerSec: a.rateCuPerSec,
    startAtMs,
    endAtMs: startAtMs + a.durationMs,
    priceMicroUsdcPerCu: price,
    reservedCu,
    submittedCu: 0n,
    deliveredCu: 0n,
    failedCu: 0n,
    escrowMicroUsdc: costMicroUsdc,
    committedMicroUsdc: 0n,
    tokensMilliCu: 0n,
    tokensAtMs: startAtMs,
    openJobs: 0,
    queue: dequeNew(),
    ended: false,
  };
  r.tokensMilliCu = bucketCapacityMilliCu(r, p.dedicatedBurstMs);
  state.reservations.set(id, r);
  ctx.events.push({
    type: 'Reserved',
    reservationId: id,
    sponsor: a.sponsor,
    reservedCu,
    costMicroUsdc,
    feeMicroUsdc,
  });
  return null;
};

/** The last string isModelId accepted, at first a valid id (only speed depends on it). */
let lastModelId: string = ZERO_HASH;

export const isModelId = (m: unknown): m is `0x${string}` => {
  // A run names a few models, one per submission: the last valid one is not matched again.
  if (m === lastModelId) return true;
  if (typeof m !== 'string' || !/^0x[0-9a-f]{64}$/.test(m)) return false;
  lastModelId = m;
  return true;
};

/**
 * After the window (plus the longest deadline and grace, so every job has ended): escrow for CU
 * that failed or expired while queued is refunded; escrow owed for delivered but unsettled
 * receipts stays; what is left (capacity the sponsor never used) goes to the treasury.
 */
export const endReservation: Handler<A<'endReservation'>> = (ctx, a) => {
  const { state, nowMs } = ctx;
  const p = state.params;
  const r = state.reservations.get(a.reservationId);
  if (!r) return reject('UnknownReservation', `no reservation ${a.reservationId}`);
  if (r.ended) return reject('ReservationEnded', `reservation ${r.id} already ended`);
  const closesAtMs = r.endAtMs + p.jobDeadlineMaxMs + p.jobGraceMs;
  if (nowMs < closesAtMs)
    return reject('TooEarly', `reservation ${r.id} closes at ${closesAtMs} ms`);
  if (r.openJobs > 0)
    return reject('ReservationOpenJobs', `reservation ${r.id} has ${r.openJobs} open jobs`);
  const refundedMicroUsdc = r.failedCu * r.priceMicroUsdcPerCu;
  const forfeitedMicroUsdc = r.escrowMicroUsdc - r.committedMicroUsdc - refundedMicroUsdc;
  if (forfeitedMicroUsdc < 0n) throw new Error(`assertion: reservation ${r.id} escrow short`);
  accountOf(state, r.sponsor).usdc += refundedMicroUsdc;
  state.treasuryMicroUsdc += forfeitedMicroUsdc;
  state.totals.refundedMicroUsdc += refundedMicroUsdc;
  state.totals.forfeitedMicroUsdc += forfeitedMicroUsdc;
  r.escrowMicroUsdc = r.committedMicroUsdc;
  r.ended = true;
  state.dedicatedNotBeforeMs.delete(r.id);
  if (r.escrowMicroUsdc === 0n) state.reservations.delete(r.id);
  ctx.events.push({
    type: 'ReservationEnded',
    reservationId: r.id,
    refundedMicroUsdc,
    forfeitedMicroUsdc,
  });
  return null;
};
