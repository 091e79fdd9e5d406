import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineExpectations } from './baseline.ts';
import { baselineNetwork } from './network.ts';

/**
 * healthy — `baseline` with the two changes that `onesim findings` (question `healthy`) found to
 * be the nearest at which every baseline expectation holds in ≥ 95 % of seeds: a fleet sized to
 * the calibrated demand (3 RTX 4090-class workers instead of 20, so each is busy enough to earn
 * its cost) and a Dedicated token bucket of 300 s instead of 60 s (a sponsor whose jobs arrive at
 * random below its reserved rate no longer waits for tokens).
 *
 * Question: is there a nearby network on which ONE's defaults pay workers and keep the treasury?
 * Here the expectations are requirements, not questions: a failed one makes `onesim run` exit 1.
 */
export const healthyExpectations = baselineExpectations.map(({ question: _, ...e }) => e);

export default defineScenario({
  name: 'healthy',
  question:
    "Is there a network near baseline on which ONE's defaults pay workers and keep the treasury (3 workers, a 300 s Dedicated bucket)?",
  days: 14,
  ...baselineNetwork,
  workers: { ...baselineNetwork.workers, count: 3 },
  params: { dedicatedBurstMs: 300_000 },
  expectations: [...healthyExpectations],
});
