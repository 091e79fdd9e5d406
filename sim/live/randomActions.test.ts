import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Intent } from '../../protocol/audit/randomRun.ts';
import type { Params } from '../../protocol/params.ts';
import { simVerifier } from '../../protocol/receipts/simVerifier.ts';
import { createState } from '../../protocol/state.ts';
import { step } from '../../protocol/step.ts';
import { liveIntentsArb, liveParamsArb } from './audit/arbitraries.ts';
import { intentActions, liveVerificationIntentArb } from './randomActions.ts';

/** The model's side of a live run: each action stepped at its time (no chain). */
function runModel(params: Params, intents: Intent[]) {
  const state = createState(params);
  const times: number[] = [];
  let workerJailed = 0;
  for (const t of intentActions(state, intents)) {
    times.push(t.atMs);
    const r = step(state, t.action, t.atMs, { verifier: simVerifier });
    if (!r.ok && r.code === 'WorkerJailed') workerJailed += 1;
  }
  return { state, times, workerJailed };
}

describe('live random runs (model side)', () => {
  it('act on whole seconds that never go back, jumps and refused late receipts included', () => {
    fc.assert(
      fc.property(liveParamsArb, liveIntentsArb, (params, intents) => {
        const { times } = runModel(params, intents);
        for (let i = 0; i < times.length; i++) {
          expect(times[i]! % 1000).toBe(0);
          if (i > 0) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
        }
      }),
      { seed: 7, numRuns: 40 },
    );
  });

  it('verification runs slash workers and meet a jailed worker acting again', () => {
    const runs = fc.sample(
      fc.tuple(
        liveParamsArb,
        fc.array(liveVerificationIntentArb(), { minLength: 1, maxLength: 300, size: 'max' }),
      ),
      { seed: 20261121, numRuns: 30 },
    );
    let slashed = 0;
    let workerJailed = 0;
    for (const [params, intents] of runs) {
      const r = runModel(params, intents);
      if (r.state.totals.mismatchesConfirmed > 0) slashed += 1;
      workerJailed += r.workerJailed;
    }
    // The full mix slashes in about one run in fifty; these runs are there to do it often.
    expect(slashed).toBeGreaterThanOrEqual(3);
    expect(workerJailed).toBeGreaterThan(0);
  });
});
