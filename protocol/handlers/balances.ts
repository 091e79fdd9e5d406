import type { Action } from '../actions.ts';
import { uint256Max } from '../onChainTypes.ts';
import { reject } from '../rejections.ts';
import { accountOf, usdcOf } from '../state.ts';
import type { Handler } from './context.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

export const positive = (v: unknown): v is bigint => typeof v === 'bigint' && v > 0n;

/**
 * Money entering the system at its boundary (a bridge, an exchange, a faucet). What is in the
 * system (deposited − withdrawn) is the token's supply on chain, a uint256: a deposit beyond it
 * is refused, as the contract refuses the mint. Every balance, escrow, bond and the treasury
 * are parts of that supply (invariant 1), so none can outgrow its uint256 either.
 */
export const deposit: Handler<A<'deposit'>> = (ctx, a) => {
  if (!positive(a.amount)) return reject('InvalidAmount', `amount must be > 0, got ${a.amount}`);
  const t = ctx.state.totals;
  const supply =
    a.asset === 'usdc'
      ? t.usdcDepositedMicroUsdc - t.usdcWithdrawnMicroUsdc
      : t.oneDepositedWei - t.oneWithdrawnWei;
  if (a.amount > uint256Max - supply)
    return reject(
      'InvalidAmount',
      `amount ${a.amount} would take the ${a.asset} in the system past 2^256 − 1 (holds ${supply})`,
    );
  const acct = accountOf(ctx.state, a.account);
  if (a.asset === 'usdc') {
    acct.usdc += a.amount;
    t.usdcDepositedMicroUsdc += a.amount;
  } else {
    acct.one += a.amount;
    t.oneDepositedWei += a.amount;
  }
  ctx.events.push({ type: 'Deposited', account: a.account, asset: a.asset, amount: a.amount });
  return null;
};

export const withdraw: Handler<A<'withdraw'>> = (ctx, a) => {
  if (!positive(a.amount)) return reject('InvalidAmount', `amount must be > 0, got ${a.amount}`);
  const acct = ctx.state.accounts.get(a.account);
  const balance = acct ? (a.asset === 'usdc' ? acct.usdc : acct.one) : 0n;
  if (!acct || balance < a.amount)
    return reject(
      'InsufficientBalance',
      `${a.account} holds ${balance} ${a.asset}, asked ${a.amount}`,
    );
  const t = ctx.state.totals;
  if (a.asset === 'usdc') {
    acct.usdc -= a.amount;
    t.usdcWithdrawnMicroUsdc += a.amount;
  } else {
    acct.one -= a.amount;
    t.oneWithdrawnWei += a.amount;
  }
  ctx.events.push({ type: 'Withdrawn', account: a.account, asset: a.asset, amount: a.amount });
  return null;
};

/** Anyone may give USDC to the treasury (genesis funding, grants). */
export const fundTreasury: Handler<A<'fundTreasury'>> = (ctx, a) => {
  if (!positive(a.amountMicroUsdc))
    return reject('InvalidAmount', `amountMicroUsdc must be > 0, got ${a.amountMicroUsdc}`);
  const have = usdcOf(ctx.state, a.from);
  if (have < a.amountMicroUsdc)
    return reject(
      'InsufficientBalance',
      `${a.from} holds ${have} USDC units, asked ${a.amountMicroUsdc}`,
    );
  accountOf(ctx.state, a.from).usdc -= a.amountMicroUsdc;
  ctx.state.treasuryMicroUsdc += a.amountMicroUsdc;
  ctx.events.push({ type: 'TreasuryFunded', from: a.from, amountMicroUsdc: a.amountMicroUsdc });
  return null;
};
