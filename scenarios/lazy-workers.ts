import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { chatJobCostUsdc } from './calibrated.ts';
import { baselineNetwork } from './network.ts';

/**
 * lazy-workers — 4 of 20 workers fake 30 % of their results to save the compute each costs
 * (the calibrated RTX 4090-class worker's cost for one chat request's slot-time), against the default Proof-of-AI (5 % of receipts re-executed by 3 oracles, quorum 2,
 * half the bond slashed, unsettled earnings withheld, a week in jail).
 *
 * Question: does Proof-of-AI make cheating unprofitable: are lazy workers caught and slashed,
 * and do they end up earning less a day than honest ones?
 */
export default defineScenario({
  name: 'lazy-workers',
  question:
    'Does Proof-of-AI deter lazy workers: are they caught and slashed, and do they earn less than honest workers?',
  days: 10,
  ...baselineNetwork,
  adversaries: {
    lazyWorkers: { count: 4, fakeShare: 0.3, savingUsdcPerFakedJob: chatJobCostUsdc },
  },
  expectations: [
    {
      metric: 'mismatchesConfirmed',
      op: '>=',
      value: 1,
      label: 'lazy workers are caught at least once',
    },
    {
      metric: 'lazyProfitUsdcPerWorkerDay',
      op: '<=',
      value: 0,
      label: 'cheating is unprofitable (income + savings − slashes ≤ 0)',
    },
  ],
});
