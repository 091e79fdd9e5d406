import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plantedBugs } from '../audit/plantedBugs.ts';
import {
  type Intent,
  intentsArb,
  paramsArb,
  RandomRunFailure,
  runIntents,
} from '../audit/randomRun.ts';
import { resolveParams } from '../params.ts';
import { assertProperty, ShrinkBudgetError, shrinkBudget } from './shrinkBudget.ts';

// Issue 21, item 3: a failing property must end (with a counterexample) instead of shrinking for
// hours. The clock is injected: it ticks once per predicate run, so "time" is a count and the
// tests do not depend on the machine's speed.
const ticking = () => {
  let now = 0;
  return () => now++;
};

describe('shrinking bounded by a time budget', () => {
  const sumBelow = fc.property(fc.array(fc.nat(1_000), { minLength: 50, maxLength: 200 }), (xs) => {
    expect(xs.reduce((a, b) => a + b, 0)).toBeLessThan(500);
  });

  it('gives up once the budget is spent and reports the best counterexample, its seed and replay path', () => {
    let gaveUp: ShrinkBudgetError | undefined;
    try {
      fc.assert(sumBelow, {
        seed: 7,
        plugins: [shrinkBudget({ budgetMs: 5, clockMs: ticking() })],
      });
    } catch (e) {
      gaveUp = e as ShrinkBudgetError;
    }
    expect(gaveUp).toBeInstanceOf(ShrinkBudgetError);
    const d = gaveUp!.details;
    expect(d.failed && d.interrupted).toBe(true);
    expect(gaveUp!.message).toContain('shrinking gave up after');
    expect(gaveUp!.message).toContain('seed: 7');
    expect(gaveUp!.message).toContain(`path: ${JSON.stringify(d.counterexamplePath)}`);
    expect(gaveUp!.message).toContain('Counterexample');
    // Fewer shrinks than an unbounded run, and the kept value still fails: replaying the path
    // gives it back.
    const full = fc.check(sumBelow, { seed: 7 });
    expect(d.numShrinks).toBeLessThan(full.numShrinks);
    const replay = fc.check(sumBelow, {
      seed: 7,
      path: d.counterexamplePath!,
      endOnFailure: true,
    });
    expect(replay.failed).toBe(true);
    expect(replay.counterexample).toEqual(d.counterexample);
  });

  it('assertProperty reports a failure as fc.assert does (its budget is real time)', () => {
    expect(() => assertProperty(sumBelow, { seed: 7, shrinkBudgetMs: 60_000 })).toThrow(
      /Counterexample: \[\[/,
    );
    expect(() => assertProperty(fc.property(fc.nat(), (n) => n >= 0))).not.toThrow();
  });

  it('changes nothing when the property holds or shrinking ends within the budget', () => {
    const holds = fc.check(
      fc.property(fc.nat(), (n) => n >= 0),
      { seed: 1, numRuns: 50, plugins: [shrinkBudget({ budgetMs: 0, clockMs: ticking() })] },
    );
    expect([holds.failed, holds.numRuns]).toEqual([false, 50]);
    const quick = fc.check(sumBelow, {
      seed: 7,
      plugins: [shrinkBudget({ budgetMs: 1e9, clockMs: ticking() })],
    });
    const full = fc.check(sumBelow, { seed: 7 });
    expect([quick.interrupted, quick.counterexample]).toEqual([false, full.counterexample]);
  });

  it('a planted bug in quorum counting fails a protocol property that ends with a counterexample', () => {
    let gaveUp = 0;
    const result = fc.check(
      fc.property(paramsArb, intentsArb(), (p, intents) => {
        runIntents({
          params: resolveParams({ ...p, auditSampleRate: { num: 1n, den: 1n } }),
          intents,
          stepFn: plantedBugs.quorumOffByOne,
          checkRejections: false,
        });
      }),
      {
        seed: 20261121,
        numRuns: 300,
        plugins: [
          shrinkBudget({
            budgetMs: 20,
            clockMs: ticking(),
            report: false,
            onGiveUp: () => gaveUp++,
          }),
        ],
      },
    );
    expect(result.failed).toBe(true);
    expect(gaveUp).toBe(1);
    expect(result.errorInstance).toBeInstanceOf(RandomRunFailure);
    expect((result.errorInstance as RandomRunFailure).violations[0]?.invariant).toBe('slashing');
    // The counterexample kept is a real one: it fails again on its own.
    const [p, intents] = result.counterexample as [Parameters<typeof resolveParams>[0], Intent[]];
    expect(() =>
      runIntents({
        params: resolveParams({ ...p, auditSampleRate: { num: 1n, den: 1n } }),
        intents,
        stepFn: plantedBugs.quorumOffByOne,
        checkRejections: false,
      }),
    ).toThrow(/slashing/);
  });
});
