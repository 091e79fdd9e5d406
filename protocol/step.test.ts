import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Action } from './actions.ts';
import { defaultParams } from './params.ts';
import { simVerifier } from './receipts/simVerifier.ts';
import { reject, rejectionCodes } from './rejections.ts';
import { replayLog } from './replay.ts';
import { createState } from './state.ts';
import { stateHash } from './stateHash.ts';
import { applyAction, step } from './step.ts';
import { addr } from './testing/fixtures.ts';
import type { State } from './types.ts';

// Written for surviving mutants (docs/auditing.md): the transition function's own checks, the
// pure form, replay's error, and the state hash's canonical encoding (as documented in
// stateHash.ts), including values longer than its 64 KiB buffer.
const env = { verifier: simVerifier };
const a = addr(1, 1);
const sha = (text: string) => `0x${createHash('sha256').update(text).digest('hex')}`;
const hashOf = (v: unknown) => stateHash(v as State);

describe('step', () => {
  it('refuses a clock that goes back or is not an integer, and unknown actions', () => {
    const s = createState(defaultParams());
    const deposit: Action = { type: 'deposit', account: a, asset: 'usdc', amount: 1n };
    expect(step(s, deposit, 10, env).ok).toBe(true);
    expect(s.nowMs).toBe(10);
    expect(step(s, deposit, 10, env).ok).toBe(true);
    expect(step(s, deposit, 9, env)).toEqual({
      ok: false,
      code: 'ClockWentBackwards',
      message: 'now must be an integer ≥ 10, got 9',
    });
    expect(step(s, deposit, 10.5, env)).toMatchObject({ code: 'ClockWentBackwards' });
    expect(step(s, deposit, 2 ** 53, env)).toMatchObject({ code: 'ClockWentBackwards' });
    expect(step(s, { type: 'nope' } as never, 11, env)).toEqual({
      ok: false,
      code: 'InvalidAction',
      message: 'unknown action type: nope',
    });
    expect(step(s, undefined as never, 11, env)).toEqual({
      ok: false,
      code: 'InvalidAction',
      message: 'unknown action type: undefined',
    });
    // A rejected action does not move the clock.
    expect(step(s, { ...deposit, amount: 0n }, 20, env).ok).toBe(false);
    expect(s.nowMs).toBe(10);
  });

  it('applyAction never modifies its input; a rejection returns the input state', () => {
    const s = createState(defaultParams());
    const before = stateHash(s);
    const ok = applyAction(s, { type: 'deposit', account: a, asset: 'usdc', amount: 5n }, 1, env);
    expect(ok.result.ok).toBe(true);
    expect(ok.state).not.toBe(s);
    expect(ok.state.accounts.get(a)!.usdc).toBe(5n);
    expect(stateHash(s)).toBe(before);
    const bad = applyAction(s, { type: 'withdraw', account: a, asset: 'usdc', amount: 5n }, 1, env);
    expect(bad.result).toMatchObject({ ok: false, code: 'InsufficientBalance' });
    expect(bad.state).toBe(s);
  });

  it('replay names the first action that is refused', () => {
    const log = [
      { atMs: 0, action: { type: 'deposit', account: a, asset: 'usdc', amount: 5n } as Action },
      { atMs: 1, action: { type: 'withdraw', account: a, asset: 'usdc', amount: 6n } as Action },
    ];
    expect(() => replayLog(defaultParams(), log, env)).toThrow(
      'replay: action 1 (withdraw) rejected: InsufficientBalance: ',
    );
    expect(replayLog(defaultParams(), log.slice(0, 1), env)).toBe(
      stateHash(
        (() => {
          const s = createState(defaultParams());
          step(s, log[0]!.action, 0, env);
          return s;
        })(),
      ),
    );
  });

  it('rejections carry their code and message; codes are unique', () => {
    expect(reject('InvalidAction', 'why')).toEqual({
      ok: false,
      code: 'InvalidAction',
      message: 'why',
    });
    expect(new Set(rejectionCodes).size).toBe(rejectionCodes.length);
    expect(rejectionCodes).toContain('AvailabilityDayClosed');
  });
});

describe('state hash encoding', () => {
  it('is sha256 of the documented canonical encoding', () => {
    expect(hashOf({ b: 1n, a: 2 })).toBe(sha('{2a=d2;b=n1;}'));
    expect(hashOf({ s: 'xy', t: true, f: false, u: undefined, n: null })).toBe(
      sha('{5f=Fn=Ns=s2:xyt=Tu=U}'),
    );
    expect(hashOf({ l: [1, 'a'] })).toBe(sha('{1l=[2d1;s1:a]}'));
    expect(hashOf({ m: new Map([['k', 1n]]), z: new Set([3]) })).toBe(
      sha('{2m=M1s1:kn1;)z=S1d3;)}'),
    );
  });

  it('tells apart values that print alike, and keeps Map and Set order', () => {
    const values = [
      1,
      1n,
      '1',
      true,
      'T',
      null,
      undefined,
      'N',
      [],
      {},
      new Map(),
      new Set(),
      [1],
      [[]],
      { a: 1 },
      { a: '1' },
    ];
    const hashes = values.map((v) => hashOf({ v }));
    expect(new Set(hashes).size).toBe(values.length);
    expect(
      hashOf({
        m: new Map([
          ['a', 1],
          ['b', 2],
        ]),
      }),
    ).not.toBe(
      hashOf({
        m: new Map([
          ['b', 2],
          ['a', 1],
        ]),
      }),
    );
    expect(hashOf({ s: new Set([1, 2]) })).not.toBe(hashOf({ s: new Set([2, 1]) }));
    expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1 }));
  });

  it('is the same however the encoding is buffered', () => {
    const long = 'x'.repeat(70_000);
    expect(hashOf({ s: long, t: long })).toBe(sha(`{2s=s70000:${long}t=s70000:${long}}`));
    const parts = Array.from({ length: 20_000 }, (_, i) => i);
    expect(hashOf({ p: parts })).toBe(sha(`{1p=[20000${parts.map((i) => `d${i};`).join('')}]}`));
  });
});
