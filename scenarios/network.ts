import type { ScenarioInput } from '../sim/scenario/scenarioSchema.ts';

/**
 * The modest, healthy network of `baseline` (1,000 holders, 20 workers, 6 sponsors, three
 * models): scenarios that change one thing spread it and override that thing.
 */
export const baselineNetwork = {
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
} satisfies Partial<ScenarioInput>;
