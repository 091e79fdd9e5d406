import { describe, expect, it } from 'vitest';
import type { Action } from '../actions.ts';
import { resolveParams } from '../params.ts';
import { simVerifier } from '../receipts/simVerifier.ts';
import { createState } from '../state.ts';
import { stateHash } from '../stateHash.ts';
import { step } from '../step.ts';
import { addr } from '../testing/fixtures.ts';
import { ONE, USDC } from '../units.ts';

// Written for surviving mutants (docs/auditing.md): the invariants are safety properties, so a
// handler that does nothing, or refuses everything, keeps them all. These pin the effects.
const alice = addr(1, 1);
const bob = addr(2, 1);
const env = { verifier: simVerifier };

function fresh() {
  const state = createState(resolveParams({ unstakeUnbondingMs: 1_000 }));
  const run = (action: Action, atMs = 0) => step(state, action, atMs, env);
  return { state, run };
}

describe('deposits, withdrawals and the treasury', () => {
  it('move exact amounts and say so', () => {
    const { state, run } = fresh();
    expect(run({ type: 'deposit', account: alice, asset: 'usdc', amount: 10n * USDC })).toEqual({
      ok: true,
      events: [{ type: 'Deposited', account: alice, asset: 'usdc', amount: 10n * USDC }],
    });
    run({ type: 'deposit', account: alice, asset: 'one', amount: 5n * ONE });
    expect(run({ type: 'withdraw', account: alice, asset: 'usdc', amount: 10n * USDC })).toEqual({
      ok: true,
      events: [{ type: 'Withdrawn', account: alice, asset: 'usdc', amount: 10n * USDC }],
    });
    expect(run({ type: 'withdraw', account: alice, asset: 'one', amount: 2n * ONE }).ok).toBe(true);
    expect(state.accounts.get(alice)).toMatchObject({ usdc: 0n, one: 3n * ONE });
    run({ type: 'deposit', account: bob, asset: 'usdc', amount: 7n });
    expect(run({ type: 'fundTreasury', from: bob, amountMicroUsdc: 7n })).toEqual({
      ok: true,
      events: [{ type: 'TreasuryFunded', from: bob, amountMicroUsdc: 7n }],
    });
    expect(state.treasuryMicroUsdc).toBe(7n);
  });

  it('refuse non-positive amounts and overdrafts by one unit, changing nothing', () => {
    const { state, run } = fresh();
    run({ type: 'deposit', account: alice, asset: 'usdc', amount: 5n });
    run({ type: 'deposit', account: alice, asset: 'one', amount: 4n });
    const before = stateHash(state);
    const refusals: Array<[Action, string, RegExp]> = [
      [
        { type: 'deposit', account: alice, asset: 'usdc', amount: 0n },
        'InvalidAmount',
        /amount must be > 0/,
      ],
      [{ type: 'deposit', account: alice, asset: 'usdc', amount: -1n }, 'InvalidAmount', /amount/],
      [
        { type: 'withdraw', account: alice, asset: 'usdc', amount: 0n },
        'InvalidAmount',
        /amount must be > 0/,
      ],
      [
        { type: 'withdraw', account: alice, asset: 'usdc', amount: 6n },
        'InsufficientBalance',
        /holds 5 usdc, asked 6/,
      ],
      [
        { type: 'withdraw', account: alice, asset: 'one', amount: 5n },
        'InsufficientBalance',
        /holds 4 one/,
      ],
      [
        { type: 'withdraw', account: bob, asset: 'usdc', amount: 1n },
        'InsufficientBalance',
        /holds 0/,
      ],
      [
        { type: 'fundTreasury', from: alice, amountMicroUsdc: 0n },
        'InvalidAmount',
        /amountMicroUsdc must be > 0/,
      ],
      [
        { type: 'fundTreasury', from: alice, amountMicroUsdc: 6n },
        'InsufficientBalance',
        /holds 5 USDC units, asked 6/,
      ],
    ];
    for (const [action, code, message] of refusals) {
      const r = run(action);
      expect(
        r,
        JSON.stringify(action, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
      ).toMatchObject({ ok: false, code });
      expect(r.ok ? '' : r.message).toMatch(message);
    }
    expect(stateHash(state)).toBe(before);
    expect(run({ type: 'withdraw', account: alice, asset: 'usdc', amount: 5n }).ok).toBe(true);
    expect(run({ type: 'withdraw', account: alice, asset: 'one', amount: 4n }).ok).toBe(true);
  });
});

describe('staking', () => {
  it('stakes, unbonds and pays out matured unbonding exactly once, with events', () => {
    const { state, run } = fresh();
    run({ type: 'deposit', account: alice, asset: 'one', amount: 9n });
    expect(run({ type: 'stake', holder: alice, amountOneWei: 9n })).toEqual({
      ok: true,
      events: [{ type: 'Staked', holder: alice, amountOneWei: 9n }],
    });
    expect(run({ type: 'unstake', holder: alice, amountOneWei: 9n }, 10)).toEqual({
      ok: true,
      events: [{ type: 'UnstakeStarted', holder: alice, amountOneWei: 9n, releaseAtMs: 1_010 }],
    });
    expect(run({ type: 'claimUnbonded', holder: alice }, 1_009)).toMatchObject({
      ok: false,
      code: 'NothingToClaim',
    });
    expect(run({ type: 'claimUnbonded', holder: alice }, 1_010)).toEqual({
      ok: true,
      events: [{ type: 'UnbondedClaimed', holder: alice, amountOneWei: 9n }],
    });
    expect(state.accounts.get(alice)!.one).toBe(9n);
    const again = run({ type: 'claimUnbonded', holder: alice }, 2_000);
    expect(again).toMatchObject({ ok: false, code: 'NothingToClaim' });
    expect(again.ok ? '' : again.message).toMatch(/no matured unbonding/);
  });

  it('refuses zero amounts and more than is held or staked', () => {
    const { run } = fresh();
    run({ type: 'deposit', account: alice, asset: 'one', amount: 3n });
    const cases: Array<[Action, string, RegExp]> = [
      [
        { type: 'stake', holder: alice, amountOneWei: 0n },
        'InvalidAmount',
        /amountOneWei must be > 0/,
      ],
      [
        { type: 'stake', holder: alice, amountOneWei: 4n },
        'InsufficientBalance',
        /holds 3 ONE wei, asked 4/,
      ],
      [
        { type: 'unstake', holder: alice, amountOneWei: 0n },
        'InvalidAmount',
        /amountOneWei must be > 0/,
      ],
      [{ type: 'unstake', holder: bob, amountOneWei: 1n }, 'InsufficientStake', /has 0 staked/],
      [{ type: 'claimUnbonded', holder: bob }, 'NothingToClaim', /no matured unbonding/],
    ];
    for (const [action, code, message] of cases) {
      const r = run(action);
      expect(r).toMatchObject({ ok: false, code });
      expect(r.ok ? '' : r.message).toMatch(message);
    }
    expect(run({ type: 'stake', holder: alice, amountOneWei: 3n }).ok).toBe(true);
    expect(run({ type: 'unstake', holder: alice, amountOneWei: 4n })).toMatchObject({
      ok: false,
      code: 'InsufficientStake',
    });
    expect(run({ type: 'unstake', holder: alice, amountOneWei: 3n }).ok).toBe(true);
  });
});
