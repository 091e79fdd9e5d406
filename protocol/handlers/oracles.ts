import type { Action } from '../actions.ts';
import { ratio1ParamsOf } from '../params.ts';
import { reject } from '../rejections.ts';
import type { Address } from '../types.ts';
import { minBig } from '../units.ts';
import { availabilityConsensus } from '../verification/availability.ts';
import type { Handler, StepContext } from './context.ts';
import { ratio1CloseDay } from './ratio1Rewards.ts';
import { refreshWorkerIndex } from './routing.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/** Oracles (Ratio1's supervisor nodes) are permissioned: the governor adds and removes them. */
export const registerOracle: Handler<A<'registerOracle'>> = (ctx, a) => {
  const { state } = ctx;
  if (a.proposer !== state.params.governor)
    return reject('NotGovernor', `${a.proposer} is not the governor`);
  if (!/^0x[0-9a-f]{40}$/.test(a.oracle))
    return reject('InvalidAction', `oracle must be a lower-case address, got ${a.oracle}`);
  if (state.oracles.get(a.oracle)?.active)
    return reject('OracleAlreadyRegistered', `${a.oracle} is already an oracle`);
  const existing = state.oracles.get(a.oracle);
  state.oracles.set(a.oracle, {
    address: a.oracle,
    active: true,
    verdicts: existing?.verdicts ?? 0,
    earnedMicroUsdc: existing?.earnedMicroUsdc ?? 0n,
  });
  ctx.events.push({ type: 'OracleRegistered', oracle: a.oracle });
  return null;
};

export const removeOracle: Handler<A<'removeOracle'>> = (ctx, a) => {
  const { state } = ctx;
  if (a.proposer !== state.params.governor)
    return reject('NotGovernor', `${a.proposer} is not the governor`);
  const o = state.oracles.get(a.oracle);
  if (!o?.active) return reject('UnknownOracle', `${a.oracle} is not an active oracle`);
  o.active = false;
  ctx.events.push({ type: 'OracleRemoved', oracle: a.oracle });
  return null;
};

/** An oracle posts the scores it computed from the heartbeats it saw on a finished day. */
export const postAvailability: Handler<A<'postAvailability'>> = (ctx, a) => {
  const { state } = ctx;
  if (!state.oracles.get(a.oracle)?.active)
    return reject('UnknownOracle', `${a.oracle} is not an active oracle`);
  if (!Number.isSafeInteger(a.day) || a.day <= state.lastAvailabilityDay || a.day >= state.day)
    return reject(
      'AvailabilityDayClosed',
      `day ${a.day} is closed or not over (open: ${state.lastAvailabilityDay + 1}..${state.day - 1})`,
    );
  if (!Array.isArray(a.scores))
    return reject('InvalidAction', 'scores must be a list of [address, score]');
  const bad = a.scores.find(([, v]) => !Number.isInteger(v) || v < 0 || v > 255);
  if (bad)
    return reject('InvalidAction', `score for ${bad[0]} must be an integer 0..255, got ${bad[1]}`);
  let day = state.availabilityReports.get(a.day);
  if (day?.has(a.oracle)) return reject('AlreadyVoted', `${a.oracle} already posted day ${a.day}`);
  if (!day) {
    day = new Map();
    state.availabilityReports.set(a.day, day);
  }
  day.set(a.oracle, new Map(a.scores));
  ctx.events.push({
    type: 'AvailabilityPosted',
    oracle: a.oracle,
    day: a.day,
    scores: a.scores.length,
  });
  return null;
};

/**
 * Closes a day's Proof-of-Availability: oracle agreement (see availabilityConsensus), each
 * worker's score for routing, and the optional availability reward from the treasury.
 */
export const closeAvailabilityDay: Handler<A<'closeAvailabilityDay'>> = (ctx, a) => {
  const { state } = ctx;
  const p = state.params;
  if (a.day !== state.lastAvailabilityDay + 1)
    return reject(
      'WrongDay',
      `next availability day is ${state.lastAvailabilityDay + 1}, got ${a.day}`,
    );
  if (a.day >= state.day) return reject('TooEarly', `day ${a.day} is not over`);
  const reports = state.availabilityReports.get(a.day) ?? new Map<Address, Map<Address, number>>();
  const registered = [...state.oracles.values()].filter((o) => o.active).map((o) => o.address);
  const online = registered.filter(
    (o) => reports.has(o) || [...reports.values()].some((r) => (r.get(o) ?? 0) > 0),
  );
  const workers = [...state.workers.values()]
    .filter((w) => w.status !== 'exited')
    .map((w) => w.address);
  const c = availabilityConsensus({
    reports,
    registeredOracles: registered,
    onlineOracles: online,
    workers,
    oracleMinScore: p.poaOracleMinScore,
    quorumOfRegistered: p.poaQuorumOfRegistered,
    quorumOfOnline: p.poaQuorumOfOnline,
    ...(state.ratio1 ? { ratio1MarginScore: ratio1ParamsOf(p).availabilityMarginScore } : {}),
  });
  for (const [address, score] of c.scores) {
    const w = state.workers.get(address)!;
    w.availabilityScore = score;
    refreshWorkerIndex(state, w);
  }
  const rewardsMicroUsdc = payAvailabilityRewards(ctx, c.scores);
  if (state.ratio1)
    ratio1CloseDay(ctx, {
      day: a.day,
      books: state.ratio1,
      scores: c.scores,
      reports,
      registeredOracles: registered.length,
    });
  state.availabilityReports.delete(a.day);
  state.lastAvailabilityDay = a.day;
  state.lastAvailability = {
    day: a.day,
    faulty: c.faulty,
    participants: c.participants.length,
    unagreed: c.unagreed.length,
  };
  state.totals.availabilityDaysClosed += 1;
  if (c.faulty) state.totals.faultyDays += 1;
  ctx.events.push({
    type: 'AvailabilityClosed',
    day: a.day,
    faulty: c.faulty,
    participants: c.participants.length,
    unagreed: c.unagreed.length,
    rewardsMicroUsdc,
  });
  return null;
};

/** Splits the day's reward by score (rounded down), never more than the treasury holds. */
function payAvailabilityRewards(ctx: StepContext, scores: Map<Address, number>): bigint {
  const { state } = ctx;
  const pot = minBig(state.params.availabilityRewardMicroUsdcPerDay, state.treasuryMicroUsdc);
  let total = 0n;
  for (const s of scores.values()) total += BigInt(s);
  if (pot === 0n || total === 0n) return 0n;
  let paid = 0n;
  for (const [address, s] of scores) {
    const amount = (pot * BigInt(s)) / total;
    if (amount === 0n) continue;
    const acct = state.accounts.get(address) ?? { usdc: 0n, one: 0n };
    acct.usdc += amount;
    state.accounts.set(address, acct);
    paid += amount;
  }
  state.treasuryMicroUsdc -= paid;
  state.totals.availabilityRewardsMicroUsdc += paid;
  return paid;
}
