import fc from 'fast-check';
import { resolveParams } from '../../../protocol/params.ts';
import { paramsArb } from '../../../protocol/testing/randomRun.ts';
import { liveIntentArb, liveParamsInput } from '../randomActions.ts';

/** randomRun's parameters, restricted to what the contracts hold (see liveParamsInput). */
export const liveParamsArb = paramsArb.map((p) => resolveParams(liveParamsInput(p)));

/** Intent sequences on whole seconds, long enough to cross days and settlements. */
export const liveIntentsArb = fc.array(liveIntentArb(), {
  minLength: 1,
  maxLength: 300,
  size: 'max',
});
