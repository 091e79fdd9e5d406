import { defineScenario } from '../sim/scenario/scenarioSchema.ts';

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
    costUsdcPerDayMedian: 5,
  },
  demand: {
    diurnalAmplitude: 0.5,
    peakHour: 15,
    bursts: [{ day: 2, startHour: 12, hours: 4, multiplier: 8 }],
  },
  faults: { crashesPerWorkerDay: 0.1, restartMinutesMean: 20, resultDelayMsMax: 500 },
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
