import { defineScenario } from '../sim/scenario/scenarioSchema.ts';

/**
 * baseline — a modest, healthy network for two weeks: 1,000 holders, 20 workers, 6 sponsors,
 * a well-funded treasury and default protocol parameters.
 *
 * Question: with default parameters, does a small network run smoothly: the treasury stays
 * well funded, Included jobs wait seconds rather than minutes, and workers earn about their
 * costs? Every other scenario changes one thing against this one.
 */
export default defineScenario({
  name: 'baseline',
  question: 'With default parameters, does a small healthy network keep its treasury, serve Included jobs in seconds, and pay workers about their costs?',
  days: 14,
  treasuryGenesisUsdc: 250_000,
  models: [
    { name: 'chat-s', cuPerRequest: 500, weight: 5 },
    { name: 'chat-m', cuPerRequest: 1_500, weight: 3 },
    { name: 'embed-s', cuPerRequest: 100, weight: 2 },
  ],
  holders: { count: 1_000, stakeMinOne: 1_000, stakeParetoAlpha: 1.5, activeShare: 0.6, jobsPerDayMedian: 10, jobsPerDaySigma: 0.8 },
  sponsors: { count: 6, rateCuPerSecMin: 20, rateCuPerSecMax: 80, reservationHours: 24, utilisation: 0.7 },
  workers: { count: 20, slots: 4, capacityCuPerSecMedian: 250, capacityCuPerSecSigma: 0.3, modelsPerWorker: 2, costUsdcPerDayMedian: 5 },
  demand: { diurnalAmplitude: 0.5, peakHour: 15, bursts: [] },
  faults: { crashesPerWorkerDay: 0.1, restartMinutesMean: 20, resultDelayMsMax: 500 },
  expectations: [
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
    { metric: 'sigmaMin', op: '>=', value: 0.99, label: 'credits are never cut by the treasury bound' },
    { series: 'waitIncludedMsP95', stat: 'max', op: '<=', value: 600_000, label: 'Included p95 wait ≤ 10 min in every hour' },
    { metric: 'waitIncludedMsP95', op: '<=', value: 60_000, label: 'Included p95 wait over the run ≤ 1 min' },
    { metric: 'honestWorkerIncomeOverCostP50', op: '>=', value: 0.5, label: 'the median honest worker earns at least half its operating cost' },
  ],
});
