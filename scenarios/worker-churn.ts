import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineNetwork } from './network.ts';

/**
 * worker-churn — workers whose operating cost (12 USDC a day) exceeds what the network pays
 * them leave after three days in a row below cost.
 *
 * Question: when income is below cost, how much of the fleet leaves, and do honest workers who
 * stay end up covering their cost while holders' waits stay acceptable?
 */
export default defineScenario({
  name: 'worker-churn',
  question:
    'Workers leave after 3 days below cost: how much of the fleet leaves, and do the rest cover their costs while waits stay short?',
  days: 10,
  ...baselineNetwork,
  workers: { ...baselineNetwork.workers, leaveAfterDaysBelowCost: 3 },
  expectations: [
    {
      metric: 'honestWorkersCoveringCostShare',
      op: '>=',
      value: 0.5,
      label: "at least half the honest workers' income ≥ cost",
    },
    {
      metric: 'workersLeft',
      op: '<=',
      value: 10,
      label: 'at most half the fleet (10 of 20) leaves',
    },
    {
      series: 'waitIncludedMsP95',
      stat: 'max',
      op: '<=',
      value: 600_000,
      label: 'Included p95 wait ≤ 10 min in every hour',
    },
  ],
});
