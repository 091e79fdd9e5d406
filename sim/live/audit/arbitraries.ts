import fc from 'fast-check';
import { type Intent, paramsArb } from '../../../protocol/audit/randomRun.ts';
import { resolveParams } from '../../../protocol/params.ts';
import { liveIntentArb, liveParamsInput, liveVerificationIntentArb } from '../randomActions.ts';

/** randomRun's parameters, restricted to what the contracts hold (see liveParamsInput). */
export const liveParamsArb = paramsArb.map((p) => resolveParams(liveParamsInput(p)));

/**
 * Intent sequences on whole seconds of at most `maxLength`, long enough to cross days and
 * settlements: half drawn from randomRun's mix, half verification runs (see
 * liveVerificationWeights), which take jobs to audits, slashings and jailed workers.
 */
export const liveIntentsArbOf = (maxLength: number): fc.Arbitrary<Intent[]> => {
  const runOf = (intent: fc.Arbitrary<Intent>) =>
    fc.array(intent, { minLength: 1, maxLength, size: 'max' });
  return fc.oneof(runOf(liveIntentArb()), runOf(liveVerificationIntentArb()));
};

/** Live runs of up to 300 intents (the differential property tests). */
export const liveIntentsArb = liveIntentsArbOf(300);
