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
      `"0xf0d5af71e54fad6e8656b1a1d5a07cf8377d8bb42366d4edd95f00169c5b04d5"`,
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
});
