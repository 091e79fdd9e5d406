import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invariantNames } from '../../protocol/invariants/stateInvariants.ts';
import { rejectionCodes } from '../../protocol/rejections.ts';
import { rareStates, untested } from './coverage.ts';
import { caseSeedOf, runAudit } from './runAudit.ts';
import { applySwarm, enabledKinds, swarmArb } from './swarm.ts';

describe('runAudit over the model', () => {
  it('passes on the current protocol and lists every check, rejection code and rare state', () => {
    const r = runAudit({ seed: 11, runs: 25, failuresDir: null });
    expect(r.ok).toBe(true);
    expect(r.runs).toBe(25);
    expect(Object.keys(r.coverage.rejections)).toEqual([...rejectionCodes]);
    expect(Object.keys(r.coverage.rareStates)).toEqual(Object.keys(rareStates));
    for (const name of invariantNames) expect(r.coverage.checks[name]).toBeGreaterThan(0);
    // Zeros are reported, not hidden: some corners are unreachable in 25 runs.
    expect(untested(r.coverage).length).toBeGreaterThan(0);
  });

  it('is deterministic: same seed, same runs ⇒ same coverage and findings', () => {
    const a = runAudit({ seed: 5, runs: 15, failuresDir: null });
    const b = runAudit({ seed: 5, runs: 15, failuresDir: null });
    expect(b).toEqual(a);
    expect(runAudit({ seed: 6, runs: 15, failuresDir: null }).coverage).not.toEqual(a.coverage);
  });

  it('stops at a time limit with an injected clock', () => {
    let now = 0;
    const r = runAudit({ seed: 1, timeMs: 5, clockMs: () => now++, failuresDir: null });
    expect(r.runs).toBeLessThan(6);
  });

  it('spreads run seeds', () => {
    const seeds = new Set(Array.from({ length: 1_000 }, (_, i) => caseSeedOf(1, i)));
    expect(seeds.size).toBe(1_000);
  });
});

describe('swarm testing', () => {
  it('disables some kinds, never all, and only draws enabled kinds', () => {
    fc.assert(
      fc.property(swarmArb, fc.array(fc.nat(0xffff)), (swarm, rolls) => {
        const kinds = enabledKinds(swarm);
        expect(kinds.length).toBeGreaterThan(0);
        const intents = applySwarm(
          swarm,
          rolls.map((roll) => ({ roll, a: 0, b: 0, c: 0, dtMs: 30 * 3_600_000 })),
        );
        for (const it of intents) expect(kinds).toContain(it.kind);
        if (swarm.shortGaps) for (const it of intents) expect(it.dtMs).toBeLessThan(21_600_000);
      }),
      { seed: 3, numRuns: 200 },
    );
    const samples = fc.sample(swarmArb, { seed: 4, numRuns: 50 });
    expect(samples.some((s) => enabledKinds(s).length < 32)).toBe(true);
  });
});
