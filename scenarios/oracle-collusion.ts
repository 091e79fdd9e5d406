import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { chatJobCostUsdc } from './calibrated.ts';
import { baselineNetwork } from './network.ts';

/**
 * oracle-collusion — the lazy workers of `lazy-workers`, but 2 of the 5 oracles collude with them
 * and always vote "match" on audits. With committees of 3 and a quorum of 2, a committee with
 * two colluders cannot confirm a mismatch.
 *
 * Question: how much of Proof-of-AI's deterrence survives when 40 % of oracles cover for
 * cheaters, and are honest workers ever slashed?
 */
export default defineScenario({
  name: 'oracle-collusion',
  question:
    'With 2 of 5 oracles covering for cheaters, how much deterrence survives, and is any honest worker slashed?',
  days: 10,
  ...baselineNetwork,
  oracles: { count: 5, colluding: 2 },
  adversaries: {
    lazyWorkers: { count: 4, fakeShare: 0.3, savingUsdcPerFakedJob: chatJobCostUsdc },
  },
  expectations: [
    { metric: 'mismatchesConfirmed', op: '>=', value: 1, label: 'some cheating is still caught' },
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
  ],
});
