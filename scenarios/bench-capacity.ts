import profile from './profiles/cpu-tinylm-s.json' with { type: 'json' };
import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { withProfileWorkers } from './fromCapacityProfile.ts';
import { parseCapacityProfile } from '../gpu-harness/profile/capacityProfile.ts';

/**
 * bench-capacity — four workers with the capacity this project's CI machine measured for the
 * zoo's tiny language model on CPU (`onesim bench inference --model tinylm-s --scenario offline`,
 * the profile in scenarios/profiles/), joining a small network that runs that model. A request
 * is 16 generated tokens at 158 CU a token (the harness's CU: 100k multiply-accumulates).
 * `onesim run <scenario> --workers-from your-profile.json` does the same with your hardware.
 *
 * Question: what would a node with this measured capacity earn a day under default prices,
 * next to the network's other workers?
 */
const base = defineScenario({
  name: 'bench-capacity',
  question: 'What would a node with this measured capacity earn a day under default prices?',
  days: 7,
  treasuryGenesisUsdc: 250_000,
  models: [{ name: 'tinylm-s', cuPerRequest: 158 * 16, weight: 1 }],
  holders: { count: 1_000, activeShare: 0.6, jobsPerDayMedian: 10, jobsPerDaySigma: 0.8 },
  sponsors: { count: 2, rateCuPerSecMin: 500, rateCuPerSecMax: 2_000, reservationHours: 24, utilisation: 0.7 },
  workers: { count: 8, slots: 4, capacityCuPerSecMedian: 200_000, capacityCuPerSecSigma: 0.3, costUsdcPerDayMedian: 5 },
  expectations: [
    { metric: 'profileWorkerIncomeUsdcPerDay', op: '>', value: 0, label: 'the measured workers earn something' },
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
  ],
});

export default { ...base, profileWorkers: withProfileWorkers(base, parseCapacityProfile(JSON.stringify(profile)), 4).profileWorkers };
