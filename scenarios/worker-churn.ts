import { defineScenario } from '../sim/scenario/scenarioSchema.ts';

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
  treasuryGenesisUsdc: 250_000,
  models: [
    { name: 'chat-s', cuPerRequest: 500, weight: 5 },
    { name: 'chat-m', cuPerRequest: 1_500, weight: 3 },
    { name: 'embed-s', cuPerRequest: 100, weight: 2 },
  ],
  holders: { count: 1_000, activeShare: 0.6, jobsPerDayMedian: 10, jobsPerDaySigma: 0.8 },
  sponsors: {
    count: 6,
    rateCuPerSecMin: 20,
    rateCuPerSecMax: 80,
    reservationHours: 24,
    utilisation: 0.7,
  },
  workers: {
    count: 20,
    slots: 4,
    capacityCuPerSecMedian: 250,
    capacityCuPerSecSigma: 0.3,
    costUsdcPerDayMedian: 12,
    leaveAfterDaysBelowCost: 3,
  },
  faults: { crashesPerWorkerDay: 0.1, restartMinutesMean: 20, resultDelayMsMax: 500 },
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
