import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineNetwork } from './network.ts';

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
  ...baselineNetwork,
  sponsors: { ...baselineNetwork.sponsors, count: 40, rateCuPerSecMin: 100, rateCuPerSecMax: 300, utilisation: 1 },
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
