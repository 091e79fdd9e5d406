import type { Action } from '../actions.ts';
import { reject } from '../rejections.ts';
import { accountOf, holderOf, oneOf } from '../state.ts';
import { positive } from './balances.ts';
import type { Handler } from './context.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/** Stake counts from the next day's snapshot: nothing here touches today's allotment. */
export const stake: Handler<A<'stake'>> = (ctx, a) => {
  if (!positive(a.amountOneWei))
    return reject('InvalidAmount', `amountOneWei must be > 0, got ${a.amountOneWei}`);
  const have = oneOf(ctx.state, a.holder);
  if (have < a.amountOneWei)
    return reject(
      'InsufficientBalance',
      `${a.holder} holds ${have} ONE wei, asked ${a.amountOneWei}`,
    );
  accountOf(ctx.state, a.holder).one -= a.amountOneWei;
  holderOf(ctx.state, a.holder).stakedOneWei += a.amountOneWei;
  ctx.events.push({ type: 'Staked', holder: a.holder, amountOneWei: a.amountOneWei });
  return null;
};

/**
 * Unstaked ONE unbonds for `unstakeUnbondingMs` and grants nothing meanwhile. Today's allotment
 * was fixed at the day's snapshot and stays: the rule is about the stake, not past credits.
 */
export const unstake: Handler<A<'unstake'>> = (ctx, a) => {
  if (!positive(a.amountOneWei))
    return reject('InvalidAmount', `amountOneWei must be > 0, got ${a.amountOneWei}`);
  const h = ctx.state.holders.get(a.holder);
  const staked = h?.stakedOneWei ?? 0n;
  if (!h || staked < a.amountOneWei)
    return reject('InsufficientStake', `${a.holder} has ${staked} staked, asked ${a.amountOneWei}`);
  const releaseAtMs = ctx.nowMs + ctx.state.params.unstakeUnbondingMs;
  h.stakedOneWei -= a.amountOneWei;
  h.unbonding.push({ amountOneWei: a.amountOneWei, releaseAtMs });
  ctx.events.push({
    type: 'UnstakeStarted',
    holder: a.holder,
    amountOneWei: a.amountOneWei,
    releaseAtMs,
  });
  return null;
};

export const claimUnbonded: Handler<A<'claimUnbonded'>> = (ctx, a) => {
  const h = ctx.state.holders.get(a.holder);
  const ready = h?.unbonding.filter((u) => u.releaseAtMs <= ctx.nowMs) ?? [];
  if (!h || ready.length === 0)
    return reject('NothingToClaim', `${a.holder} has no matured unbonding`);
  const amount = ready.reduce((s, u) => s + u.amountOneWei, 0n);
  h.unbonding = h.unbonding.filter((u) => u.releaseAtMs > ctx.nowMs);
  accountOf(ctx.state, a.holder).one += amount;
  ctx.events.push({ type: 'UnbondedClaimed', holder: a.holder, amountOneWei: amount });
  return null;
};
