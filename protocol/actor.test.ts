import { describe, expect, it } from 'vitest';
import type { Action } from './actions.ts';
import { createActor } from './actor.ts';
import { resolveParams } from './params.ts';
import { simVerifier } from './receipts/simVerifier.ts';
import { createState } from './state.ts';
import { stateHash } from './stateHash.ts';
import { addr } from './testing/fixtures.ts';

const deposit = (n: number, amount = 5n): Action => ({
  type: 'deposit',
  account: addr(n),
  asset: 'usdc',
  amount,
});

describe('createActor: the one way to act on a state', () => {
  it('applies accepted actions, tells the caller, and counts refusals by code without changing the state', () => {
    const state = createState(resolveParams({}));
    const seen: string[] = [];
    const actor = createActor({
      state,
      env: { verifier: simVerifier },
      onAccepted: (atMs, action, events) => seen.push(`${atMs}:${action.type}:${events.length}`),
    });
    expect(actor.act(deposit(1), 10).ok).toBe(true);
    const before = stateHash(state);
    const refused = actor.act(deposit(2, -1n), 20);
    expect(refused.ok === false && refused.code).toBe('InvalidAmount');
    expect(
      actor.act({ type: 'withdraw', account: addr(3), asset: 'usdc', amount: 1n }, 30).ok,
    ).toBe(false);
    expect(stateHash(state)).toBe(before);
    expect(actor.accepted).toBe(1);
    expect(Object.fromEntries(actor.rejections)).toEqual({
      InvalidAmount: 1,
      InsufficientBalance: 1,
    });
    expect(seen).toEqual(['10:deposit:1']);
  });

  it('checks invariants on the caller’s schedule and reports violations', () => {
    const state = createState(resolveParams({}));
    const violations: string[] = [];
    const actor = createActor({
      state,
      env: { verifier: simVerifier },
      checks: (a) => (a.type === 'deposit' ? 'all' : 'none'),
      onViolation: (a, v) => violations.push(`${a.type}: ${v.map((x) => x.invariant).join(',')}`),
    });
    actor.act(deposit(1), 0);
    expect(actor.checker.checks).toBe(1);
    // Corrupt the state behind the protocol's back: the next checked step reports it.
    state.treasuryMicroUsdc += 1n;
    actor.act(deposit(2), 1);
    expect(violations).toEqual(['deposit: conservation']);
    actor.act({ type: 'expireJobs' }, 2);
    expect(actor.checker.checks).toBe(2);
  });
});
