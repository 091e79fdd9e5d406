import type { ScenarioInput } from '../sim/scenario/scenarioSchema.ts';
import { chatModel, holderDemand, laneSlo, rtx4090Worker, sponsorRates } from './calibrated.ts';

/**
 * The calibrated small network of `baseline`: 1,000 holders, 6 sponsors and 20 RTX 4090-class
 * workers serving one 8B-class chat model. What each holder asks a day, what a sponsor reserves,
 * what a request costs in CU, what a worker can serve and what it costs a day all come from
 * scenarios/calibration.json (worked out in scenarios/calibrated.ts); the sizes (1,000 / 6 / 20)
 * are the network being asked about. Scenarios that change one thing spread this and override it.
 */
export const baselineNetwork = {
  treasuryGenesisUsdc: 250_000,
  models: [chatModel],
  holders: {
    count: 1_000,
    stakeMinOne: 1_000,
    stakeParetoAlpha: 1.5,
    activeShare: holderDemand.activeShare,
    jobsPerDayMedian: holderDemand.jobsPerDayMedian,
    jobsPerDaySigma: holderDemand.jobsPerDaySigma,
  },
  sponsors: { count: 6, ...sponsorRates, reservationHours: 24, utilisation: 0.7 },
  workers: {
    count: 20,
    slots: rtx4090Worker.slots,
    capacityCuPerSecMedian: rtx4090Worker.capacityCuPerSec,
    capacityCuPerSecSigma: 0.3,
    modelsPerWorker: 1,
    costUsdcPerDayMedian: rtx4090Worker.costUsdcPerDay,
  },
  slo: laneSlo,
  demand: { diurnalAmplitude: 0.5, peakHour: 15, bursts: [] },
  faults: { crashesPerWorkerDay: 0.1, restartMinutesMean: 20, resultDelayMsMax: 500 },
} satisfies Partial<ScenarioInput>;

/** The fleet's nominal capacity in CU/s (workers × the calibrated median capacity). */
export const baselineFleetCuPerSec =
  baselineNetwork.workers.count * baselineNetwork.workers.capacityCuPerSecMedian;
