import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allotmentCu, nominalCredits } from '../allotment.ts';
import { resolveParams } from '../params.ts';
import { step } from '../step.ts';
import {
  type Intent,
  intentsArb,
  paramsArb,
  RandomRunFailure,
  replayMatches,
  runIntents,
  type StepFn,
} from '../testing/randomRun.ts';
import { ONE } from '../units.ts';

// CI runs with a fixed seed; set ONESIM_FC_SEED to explore (the seed is printed on failure).
const seed = Number(process.env.ONESIM_FC_SEED ?? 20261121);
const numRuns = Number(process.env.ONESIM_FC_RUNS ?? 150);

describe('protocol invariants under random action sequences', () => {
  it('hold after every step; rejections change nothing; replay reproduces the state hash', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(paramsArb, intentsArb(), (p, intents) => {
        const run = runIntents({ params: resolveParams(p), intents });
        for (const code of run.rejected.keys()) reached.add(code);
        expect(replayMatches(run)).toBe(true);
      }),
      { seed, numRuns, verbose: 1 },
    );
    // The generator must reach the important rejections, or the property proves little.
    for (const code of [
      'InsufficientCredits',
      'BadChainLink',
      'BadSignature',
      'ReceiptMismatch',
      'InvalidProof',
      'WrongDay',
      'WrongEpoch',
      'TimelockNotElapsed',
      'ParamImmutable',
      'NotGovernor',
    ])
      expect(reached, `rejection ${code} never reached`).toContain(code);
  });

  it('splitting stake across accounts never increases credits under the linear schedule (inv. 7)', () => {
    const T = 1_000n * ONE;
    fc.assert(
      fc.property(
        fc.array(fc.bigInt(0n, 10_000n * ONE), { minLength: 2, maxLength: 8 }),
        fc.bigInt(1n, 1_000n),
        fc.bigInt(1n, 1_000n),
        (parts, sn, sd) => {
          const sigma = sn <= sd ? { num: sn, den: sd } : { num: 1n, den: 1n };
          const credits = (s: bigint) =>
            allotmentCu(
              nominalCredits({
                schedule: { kind: 'linear' },
                stakeOneWei: s,
                thresholdOneWei: T,
                creditsPerThresholdCu: 5_000n,
              }),
              sigma,
            );
          const split = parts.reduce((acc, s) => acc + credits(s), 0n);
          expect(split).toBeLessThanOrEqual(credits(parts.reduce((a, b) => a + b, 0n)));
        },
      ),
      { seed, numRuns: 500 },
    );
  });
});

describe('the properties bite', () => {
  /** A planted bug: settlement forgets that it paid, so the same receipts are paid again. */
  const doubleSettle: StepFn = (state, action, nowMs, env) => {
    const prevEpoch = action.type === 'settle' ? action.epoch - 1 : 0;
    const pending = action.type === 'settle' ? state.pendingByEpoch.get(prevEpoch) : undefined;
    const jobs = pending?.map((id) => structuredClone(state.jobs.get(id)!)) ?? [];
    const r = step(state, action, nowMs, env);
    if (r.ok && action.type === 'settle' && jobs.length > 0) {
      for (const job of jobs) state.jobs.set(job.id, job);
      state.pendingByEpoch.set(action.epoch, [
        ...(state.pendingByEpoch.get(action.epoch) ?? []),
        ...jobs.map((j) => j.id),
      ]);
    }
    return r;
  };

  it('a receipt settled twice is caught and shrunk to a short sequence', () => {
    const result = fc.check(
      fc.property(paramsArb, intentsArb(), (p, intents) => {
        runIntents({
          params: resolveParams(p),
          intents,
          stepFn: doubleSettle,
          checkRejections: false,
        });
      }),
      { seed, numRuns: 300 },
    );
    expect(result.failed).toBe(true);
    const error = result.errorInstance;
    expect(error).toBeInstanceOf(Error);
    const message = String((error as Error).message);
    expect(message).toMatch(/settlement|conservation|nonNegative|assertion/);
    const [, intents] = result.counterexample as [unknown, Intent[]];
    // Shrinking leaves little more than deposit/stake/submit/dispatch/complete and time passing.
    expect(intents.length).toBeLessThanOrEqual(8);
    expect(error instanceof RandomRunFailure || message.includes('assertion')).toBe(true);
  });
});
