import { defineScenario } from '../sim/scenario/scenarioSchema.ts';

/**
 * growth — the baseline network while its holders grow tenfold over 90 days (new holders join
 * every day), with the worker fleet and sponsors unchanged.
 *
 * Question: when holders grow ×10 in 90 days and nobody adds workers, what gives first: the
 * treasury bound σ (credits cut), the Included queue (waits), or nothing at all?
 */
export default defineScenario({
  name: 'growth',
  question:
    'Holders grow ×10 over 90 days with a fixed fleet: does σ cut credits, do Included waits grow, or does the network absorb it?',
  days: 90,
  treasuryGenesisUsdc: 250_000,
  models: [
    { name: 'chat-s', cuPerRequest: 500, weight: 5 },
    { name: 'chat-m', cuPerRequest: 1_500, weight: 3 },
    { name: 'embed-s', cuPerRequest: 100, weight: 2 },
  ],
  holders: {
    count: 200,
    growthMultiplier: 10,
    activeShare: 0.6,
    jobsPerDayMedian: 10,
    jobsPerDaySigma: 0.8,
  },
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
    costUsdcPerDayMedian: 5,
  },
  faults: { crashesPerWorkerDay: 0.1, restartMinutesMean: 20, resultDelayMsMax: 500 },
  expectations: [
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
    {
      metric: 'sigmaMin',
      op: '>=',
      value: 0.99,
      label: 'credits are never cut by the treasury bound',
    },
    {
      series: 'waitIncludedMsP95',
      stat: 'max',
      op: '<=',
      value: 600_000,
      label: 'Included p95 wait ≤ 10 min in every hour',
    },
    {
      metric: 'utilisationMean',
      op: '<=',
      value: 0.85,
      label: 'mean utilisation stays below 85 %',
    },
  ],
});
