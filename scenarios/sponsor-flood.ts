import { defineScenario } from '../sim/scenario/scenarioSchema.ts';

/**
 * sponsor-flood — forty sponsors reserve more Dedicated capacity than the fleet has and use
 * all of it; Dedicated jobs within their reserved rate go first (invariant 6).
 *
 * Question: when Dedicated saturates capacity, what happens to Included waits: do holders
 * still get served within 10 minutes, or does priority starve the Included lane?
 */
export default defineScenario({
  name: 'sponsor-flood',
  question:
    'Dedicated reservations saturate capacity: what happens to Included waits and expiries?',
  days: 2,
  treasuryGenesisUsdc: 250_000,
  models: [
    { name: 'chat-s', cuPerRequest: 500, weight: 5 },
    { name: 'chat-m', cuPerRequest: 1_500, weight: 3 },
    { name: 'embed-s', cuPerRequest: 100, weight: 2 },
  ],
  holders: { count: 1_000, activeShare: 0.6, jobsPerDayMedian: 10, jobsPerDaySigma: 0.8 },
  sponsors: {
    count: 40,
    rateCuPerSecMin: 100,
    rateCuPerSecMax: 300,
    reservationHours: 24,
    utilisation: 1,
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
    {
      series: 'waitIncludedMsP95',
      stat: 'p95',
      op: '<=',
      value: 600_000,
      label: 'Included p95 wait ≤ 10 min in 95 % of hours',
    },
    {
      metric: 'waitIncludedMsP95',
      op: '<=',
      value: 600_000,
      label: 'Included p95 wait over the run ≤ 10 min',
    },
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
  ],
});
