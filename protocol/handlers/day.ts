import type { Action } from '../actions.ts';
import { allotmentCu, nominalCredits, treasuryBound } from '../allotment.ts';
import { reject } from '../rejections.ts';
import { epochOf } from '../state.ts';
import type { Handler } from './context.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/**
 * The day boundary: snapshot every stake, compute the treasury bound σ_d, give each holder its
 * allotment (no roll-over) and earmark what those credits can cost from the treasury.
 */
export const startDay: Handler<A<'startDay'>> = (ctx, a) => {
  const { state, nowMs } = ctx;
  const p = state.params;
  if (a.day !== state.day + 1)
    return reject('WrongDay', `next day is ${state.day + 1}, got ${a.day}`);
  if (nowMs < a.day * p.dayMs)
    return reject('TooEarly', `day ${a.day} starts at ${a.day * p.dayMs} ms, now is ${nowMs}`);

  // Each holder's nominal credits, in the holders' order (both loops walk the same Map: an
  // array is cheaper than a second Map of 100k addresses).
  const nominal: Array<{ num: bigint; den: bigint } | null> = [];
  let eligible = 0;
  let numTotal = 0n;
  let den = 1n;
  for (const h of state.holders.values()) {
    h.snapshotOneWei = h.stakedOneWei;
    const n = nominalCredits({
      schedule: p.allotmentSchedule,
      stakeOneWei: h.snapshotOneWei,
      thresholdOneWei: p.stakeThresholdOneWei,
      creditsPerThresholdCu: p.creditsPerThresholdCu,
    });
    den = n.den;
    if (n.num > 0n) {
      nominal.push(n);
      eligible += 1;
      numTotal += n.num;
    } else nominal.push(null);
  }
  const price = p.includedPriceMicroUsdcPerCu;
  const { budgetMicroUsdc, sigma } = treasuryBound({
    treasuryMicroUsdc: state.treasuryMicroUsdc,
    budgetMaxMicroUsdc: p.includedBudgetMaxMicroUsdc,
    runwayDays: p.runwayDays,
    priceMicroUsdcPerCu: price,
    nominalNumTotal: numTotal,
    den,
  });
  let allottedCu = 0n;
  let i = 0;
  for (const h of state.holders.values()) {
    const n = nominal[i++];
    h.creditDay = a.day;
    h.allotmentCu = n ? allotmentCu(n, sigma) : 0n;
    h.usedCu = 0n;
    h.reservedCu = 0n;
    allottedCu += h.allotmentCu;
  }
  const earmarkedMicroUsdc = allottedCu * price;
  if (earmarkedMicroUsdc > budgetMicroUsdc) throw new Error('assertion: allotments exceed B_d');
  state.treasuryMicroUsdc -= earmarkedMicroUsdc;
  const lastFinishMs = (a.day + 1) * p.dayMs + p.jobDeadlineMaxMs;
  state.dayBudgets.set(a.day, {
    day: a.day,
    budgetMicroUsdc,
    earmarkedMicroUsdc,
    paidMicroUsdc: 0n,
    allottedCu,
    priceMicroUsdcPerCu: price,
    sigma,
    releaseEpoch: epochOf(p, lastFinishMs) + 1,
  });
  state.day = a.day;
  ctx.events.push({
    type: 'DayStarted',
    day: a.day,
    budgetMicroUsdc,
    sigma,
    allottedCu,
    eligibleHolders: eligible,
  });
  return null;
};
