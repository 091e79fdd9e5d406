import { describe, expect, it } from 'vitest';
import { defaultParams } from './params.ts';
import { simVerifier } from './receipts/simVerifier.ts';
import { replayLog } from './replay.ts';
import { cloneState, createState } from './state.ts';
import { stateHash } from './stateHash.ts';
import { holderAddr, includedJob, smallNetwork } from './testing/network.ts';

describe('state hash', () => {
  it('is a pinned value for a fixed run (stable across machines and runs)', () => {
    const d = smallNetwork();
    d.run(includedJob(holderAddr(0), 100n));
    d.run({ type: 'dispatch' });
    d.at(1_000).complete(1);
    // If this changes, the protocol's state or its encoding changed: say why in the commit.
    expect(stateHash(d.state)).toMatchInlineSnapshot(
      `"0xc68f2881aaddb9421d2fcd84628c3cbf7079f291f34e31de99af74b481ea22a3"`,
    );
  });

  it('changes when any amount changes and survives a clone', () => {
    const s = createState(defaultParams());
    const c = cloneState(s);
    expect(stateHash(c)).toBe(stateHash(s));
    c.treasuryMicroUsdc += 1n;
    expect(stateHash(c)).not.toBe(stateHash(s));
  });

  it('replaying the log of accepted actions reproduces the hash (invariant 10)', () => {
    const d = smallNetwork();
    d.run(includedJob(holderAddr(0), 100n));
    d.run({ type: 'dispatch' });
    d.at(1_000).complete(1);
    d.at(21_600_000 * 2).run({ type: 'settle', epoch: 0 });
    d.run({ type: 'settle', epoch: 1 });
    d.claimAll(1);
    expect(replayLog(d.params, d.log, { verifier: simVerifier })).toBe(stateHash(d.state));
  });

  it("sorts every object's keys, past the eight key lists it remembers per first key", () => {
    // Twenty dictionaries with one first key and different key sets, each also written with
    // its keys in the other order: equal objects hash equal, and no two sets are confused.
    const dicts = Array.from({ length: 20 }, (_, i) => {
      const keys = ['a', ...Array.from({ length: i + 1 }, (_, k) => `k${k}`)];
      const forward = Object.fromEntries(keys.map((k) => [k, 1]));
      const backward = Object.fromEntries([...keys].reverse().map((k) => [k, 1]));
      return { forward, backward };
    });
    const wrap = (xs: object[]) => ({ ...createState(defaultParams()), extra: xs });
    const forward = stateHash(wrap(dicts.map((d) => d.forward)) as never);
    expect(stateHash(wrap(dicts.map((d) => d.backward)) as never)).toBe(forward);
    const shifted = dicts.map((d, i) => (i === 15 ? dicts[14]!.forward : d.forward));
    expect(stateHash(wrap(shifted) as never)).not.toBe(forward);
    for (const d of dicts)
      expect(stateHash({ x: d.backward } as never)).toBe(stateHash({ x: d.forward } as never));
  });
});
