import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineNetwork } from './network.ts';

/**
 * demand-spike — the baseline network hit by an eight-fold burst of holder demand for four
 * hours on day 2 (a launch, a viral app), then back to normal.
 *
 * Question: does a short demand spike push Included waits past 10 minutes or make jobs
 * expire, and does the queue drain by the next day?
 */
export default defineScenario({
  name: 'demand-spike',
  question:
    'An ×8 demand burst for 4 hours: do Included waits pass 10 minutes or jobs expire, and does the queue drain by the next day?',
  days: 4,
  ...baselineNetwork,
  demand: {
    ...baselineNetwork.demand,
    bursts: [{ day: 2, startHour: 12, hours: 4, multiplier: 8 }],
  },
  expectations: [
    {
      series: 'waitIncludedMsP95',
      stat: 'max',
      op: '<=',
      value: 600_000,
      label: 'Included p95 wait ≤ 10 min in every hour, burst included',
    },
    {
      series: 'includedQueued',
      stat: 'last',
      op: '<=',
      value: 10,
      label: 'the Included queue has drained by the end',
    },
    { metric: 'jobsExpired', op: '<=', value: 1_000, label: 'at most 1,000 jobs expire' },
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
  ],
});
