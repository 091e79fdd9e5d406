import { parseCapacityProfile } from '../gpu-harness/profile/capacityProfile.ts';
import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { rtx4090Worker } from './calibrated.ts';
import { profileCapacity, withProfileWorkers } from './fromCapacityProfile.ts';
import { baselineNetwork } from './network.ts';
import profile from './profiles/cpu-tinylm-s.json' with { type: 'json' };

/**
 * bench-capacity — four workers with the capacity this project's CI machine measured for the
 * zoo's tiny language model on CPU (`onesim bench inference --model tinylm-s --scenario offline`,
 * the profile in scenarios/profiles/), in a network of eight such nodes serving that model. A
 * request is the model's 8 prompt tokens and 16 generated ones: 16 + 0.49 × 8 ≈ 20 CU (CU as in
 * scenarios/calibration.ts), and a node's CU/s is its measured output tokens/s × 20 ÷ 16. Costs
 * are the calibrated RTX 4090-class worker's. `onesim run <scenario> --workers-from
 * your-profile.json` does the same with your hardware.
 *
 * Question: what would a node with this measured capacity earn a day under default prices?
 */
const shape = { inputTokens: 8, outputTokens: 16 };
const measured = profileCapacity(parseCapacityProfile(JSON.stringify(profile)), shape);

const base = defineScenario({
  name: 'bench-capacity',
  question: 'What would a node with this measured capacity earn a day under default prices?',
  days: 7,
  ...baselineNetwork,
  models: [{ name: measured.modelName, cuPerRequest: measured.cuPerRequest, weight: 1 }],
  workers: {
    ...baselineNetwork.workers,
    count: 8,
    slots: 4,
    capacityCuPerSecMedian: measured.capacityCuPerSec,
    costUsdcPerDayMedian: rtx4090Worker.costUsdcPerDay,
  },
  expectations: [
    {
      metric: 'profileWorkerIncomeUsdcPerDay',
      op: '>',
      value: 0,
      label: 'the measured workers earn something',
    },
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
  ],
});

export default {
  ...base,
  profileWorkers: withProfileWorkers(base, parseCapacityProfile(JSON.stringify(profile)), 4, shape)
    .profileWorkers,
};
