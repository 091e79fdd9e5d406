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
      `"0xb052f196b922bf985433b8ba54f6c8a2fc739b986aa7036758f5bb68175f6b57"`,
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
