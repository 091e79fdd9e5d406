import { allotmentCu, nominalCredits } from '../allotment.ts';
import type { State } from '../types.ts';
import { replicasAgree } from './deployments.ts';

export interface InvariantViolation {
  invariant: InvariantName;
  message: string;
}

export const invariantNames = [
  'conservation',
  'nonNegative',
  'creditsWithinAllotment',
  'includedWithinBudget',
  'settlement',
  'dedicatedPriority',
  'sybilNeutral',
  'slashing',
  'jobsEnd',
  'replay',
  // Step checks beyond §9's list: accepted receipts, refunds of ended jobs (inv. 9's other
  // half), the day's snapshot and a reservation's end (§3, §4, §6).
  'receiptsValid',
  'jobsRefunded',
  'snapshotBonded',
  'reservationRefund',
  // Derived state equals its definition, and the event log accounts for the counters (checked
  // by the step checker: random runs, the audit, the test driver).
  'bookkeeping',
  'eventsAccount',
  // Deployments: jobs only to ready replicas; replica bookkeeping agrees with the workers.
  'deployments',
  // Ratio1: a licence the owner banned mines nothing, is paid nothing and takes no jobs.
  'licenceBans',
] as const;
export type InvariantName = (typeof invariantNames)[number];

type Check = (state: State, out: InvariantViolation[]) => void;

/** Inv. 1: every USDC and $ONE unit is in exactly one place, minus boundary flows. */
export const conservation: Check = (s, out) => {
  let usdc = s.treasuryMicroUsdc + s.settlementPoolMicroUsdc;
  let one = 0n;
  for (const a of s.accounts.values()) {
    usdc += a.usdc;
    one += a.one;
  }
  for (const b of s.dayBudgets.values()) usdc += b.earmarkedMicroUsdc - b.paidMicroUsdc;
  for (const r of s.reservations.values()) usdc += r.escrowMicroUsdc;
  for (const w of s.workers.values()) usdc += w.bondMicroUsdc;
  for (const h of s.holders.values()) {
    one += h.stakedOneWei;
    for (const u of h.unbonding) one += u.amountOneWei;
  }
  const t = s.totals;
  let usdcWant = t.usdcDepositedMicroUsdc - t.usdcWithdrawnMicroUsdc;
  if (s.ratio1) {
    // Ratio1: the escrow holds receipts' pay; licences mint money in, the escrow burns it out.
    usdc += s.ratio1.escrowMicroUsdc;
    usdcWant += s.ratio1.mintedMicroUsdc - s.ratio1.burnedMicroUsdc;
  }
  const oneWant = t.oneDepositedWei - t.oneWithdrawnWei;
  if (usdc !== usdcWant)
    out.push({
      invariant: 'conservation',
      message: `USDC held ${usdc} ≠ net deposits ${usdcWant}`,
    });
  if (one !== oneWant)
    out.push({ invariant: 'conservation', message: `ONE held ${one} ≠ net deposits ${oneWant}` });
  let unclaimed = 0n;
  for (const st of s.settlements.values()) unclaimed += st.unclaimedMicroUsdc;
  if (unclaimed !== s.settlementPoolMicroUsdc)
    out.push({
      invariant: 'conservation',
      message: `settlement pool ${s.settlementPoolMicroUsdc} ≠ unclaimed payouts ${unclaimed}`,
    });
};

/** Inv. 2: no balance, escrow, bond, budget or treasury below zero. */
export const nonNegative: Check = (s, out) => {
  // Compared first, named only when below zero: a label built for each of 100k accounts and
  // holders at every check was most of this check's cost at scale.
  const bad = (what: string, v: bigint) =>
    out.push({ invariant: 'nonNegative', message: `${what} = ${v}` });
  const neg = (what: string, v: bigint) => {
    if (v < 0n) bad(what, v);
  };
  neg('treasury', s.treasuryMicroUsdc);
  neg('settlement pool', s.settlementPoolMicroUsdc);
  if (s.ratio1) neg('ratio1 escrow', s.ratio1.escrowMicroUsdc);
  s.accounts.forEach((a, k) => {
    if (a.usdc < 0n) bad(`${k}.usdc`, a.usdc);
    if (a.one < 0n) bad(`${k}.one`, a.one);
  });
  s.holders.forEach((h, k) => {
    if (h.stakedOneWei < 0n) bad(`${k}.staked`, h.stakedOneWei);
    if (h.reservedCu < 0n) bad(`${k}.reservedCu`, h.reservedCu);
  });
  for (const [k, r] of s.reservations) {
    neg(`reservation ${k}.escrow`, r.escrowMicroUsdc);
    neg(`reservation ${k}.committed`, r.committedMicroUsdc);
    neg(`reservation ${k}.escrow − committed`, r.escrowMicroUsdc - r.committedMicroUsdc);
    neg(`reservation ${k}.tokens`, r.tokensMilliCu);
  }
  for (const [k, w] of s.workers) if (w.bondMicroUsdc < 0n) bad(`${k}.bond`, w.bondMicroUsdc);
  for (const [d, b] of s.dayBudgets)
    neg(`day ${d} earmark − paid`, b.earmarkedMicroUsdc - b.paidMicroUsdc);
};

/** Inv. 3: used ≤ allotment; nothing below the threshold; counters belong to today only. */
export const creditsWithinAllotment: Check = (s, out) => {
  const p = s.params;
  for (const [k, h] of s.holders) {
    if (h.usedCu + h.reservedCu > h.allotmentCu)
      out.push({
        invariant: 'creditsWithinAllotment',
        message: `${k} used ${h.usedCu} + reserved ${h.reservedCu} > allotment ${h.allotmentCu}`,
      });
    if (h.snapshotOneWei < p.stakeThresholdOneWei && h.allotmentCu > 0n)
      out.push({
        invariant: 'creditsWithinAllotment',
        message: `${k} below threshold has allotment ${h.allotmentCu}`,
      });
    if (h.allotmentCu > 0n && h.creditDay !== s.day)
      out.push({
        invariant: 'creditsWithinAllotment',
        message: `${k} carries credits of day ${h.creditDay} into day ${s.day}`,
      });
  }
};

/** Inv. 4: Included payouts of a day ≤ its earmark ≤ B_d. */
export const includedWithinBudget: Check = (s, out) => {
  for (const [d, b] of s.dayBudgets) {
    if (b.paidMicroUsdc > b.earmarkedMicroUsdc || b.earmarkedMicroUsdc > b.budgetMicroUsdc)
      out.push({
        invariant: 'includedWithinBudget',
        message: `day ${d}: paid ${b.paidMicroUsdc}, earmarked ${b.earmarkedMicroUsdc}, B_d ${b.budgetMicroUsdc}`,
      });
  }
};

/** Inv. 5 (state part): pending receipts are completed, listed once; totals add up. */
export const settlementConsistent: Check = (s, out) => {
  // Ids seen: bits over the range of pending ids (job ids are integers, a few epochs apart), or a
  // Set should one not be. The same answers; the bits cost a fraction of 100k Set entries.
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let integers = true;
  for (const ids of s.pendingByEpoch.values())
    for (const id of ids) {
      if (!Number.isSafeInteger(id)) integers = false;
      if (id < lo) lo = id;
      if (id > hi) hi = id;
    }
  const bits = integers && hi >= lo && hi - lo < 1 << 26 ? new Uint8Array(hi - lo + 1) : null;
  const seen = bits ? null : new Set<number>();
  for (const [epoch, ids] of s.pendingByEpoch) {
    for (const id of ids) {
      const job = s.jobs.get(id);
      if (bits ? bits[id - lo] === 1 : seen!.has(id))
        out.push({ invariant: 'settlement', message: `job ${id} pending twice` });
      if (bits) bits[id - lo] = 1;
      else seen!.add(id);
      if (job?.status !== 'completed' || !job.receiptId)
        out.push({
          invariant: 'settlement',
          message: `pending job ${id} of epoch ${epoch} is not a completed receipt`,
        });
    }
  }
  const t = s.totals;
  if (t.settledMicroUsdc !== t.includedPaidMicroUsdc + t.dedicatedPaidMicroUsdc)
    out.push({
      invariant: 'settlement',
      message: `settled ${t.settledMicroUsdc} ≠ included ${t.includedPaidMicroUsdc} + dedicated ${t.dedicatedPaidMicroUsdc}`,
    });
};

/** Inv. 7 (state part, linear schedule): today's allotments never beat one merged account. */
export const sybilNeutral: Check = (s, out) => {
  const p = s.params;
  const b = s.dayBudgets.get(s.day);
  if (p.allotmentSchedule.kind !== 'linear' || !b) return;
  let sum = 0n;
  let stake = 0n;
  for (const h of s.holders.values()) {
    if (h.snapshotOneWei < p.stakeThresholdOneWei) continue;
    sum += h.allotmentCu;
    stake += h.snapshotOneWei;
  }
  const merged = allotmentCu(
    nominalCredits({
      schedule: p.allotmentSchedule,
      stakeOneWei: stake,
      thresholdOneWei: p.stakeThresholdOneWei,
      creditsPerThresholdCu: p.creditsPerThresholdCu,
    }),
    b.sigma,
  );
  if (sum > merged)
    out.push({ invariant: 'sybilNeutral', message: `split allotments ${sum} > merged ${merged}` });
};

/** Inv. 9: every open job is still within deadline + grace. */
export const jobsEnd: Check = (s, out) => {
  for (const job of s.jobs.values()) {
    if (job.status === 'completed') continue;
    if (s.nowMs > job.deadlineAtMs + s.params.jobGraceMs)
      out.push({
        invariant: 'jobsEnd',
        message: `job ${job.id} (${job.status}) open at ${s.nowMs}, deadline ${job.deadlineAtMs}`,
      });
  }
};

export const stateChecks: Check[] = [
  conservation,
  nonNegative,
  creditsWithinAllotment,
  includedWithinBudget,
  settlementConsistent,
  sybilNeutral,
  jobsEnd,
  replicasAgree,
];

/** Every state invariant; an empty list means the state is safe. */
export function checkStateInvariants(state: State): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  for (const check of stateChecks) check(state, out);
  return out;
}
