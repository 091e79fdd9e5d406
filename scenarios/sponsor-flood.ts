import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineFleetCuPerSec, baselineNetwork } from './network.ts';

/**
 * sponsor-flood — forty sponsors reserve 160 % of the fleet's capacity (reserved rates drawn
 * between 1.07 and 2.13 × the fleet's CU/s ÷ 40) and use all of it; Dedicated jobs within their
 * reserved rate go first (invariant 6).
 *
 * Question: when Dedicated saturates capacity, what happens to the Included lane? Waits alone
 * cannot say: past saturation starved jobs expire unserved and only served jobs have a wait, so
 * the expectations read goodput (jobs done within the lane's SLO, expiries counted as misses).
 */
export default defineScenario({
  name: 'sponsor-flood',
  question:
    'Dedicated reservations saturate capacity: what share of Included jobs is still served within its SLO?',
  days: 2,
  ...baselineNetwork,
  sponsors: {
    ...baselineNetwork.sponsors,
    count: 40,
    rateCuPerSecMin: Math.round((baselineFleetCuPerSec * 1.07) / 40),
    rateCuPerSecMax: Math.round((baselineFleetCuPerSec * 2.13) / 40),
    utilisation: 1,
  },
  expectations: [
    {
      metric: 'goodputIncluded',
      op: '>=',
      value: 0.9,
      label: 'Included goodput ≥ 90 % (done within 120 s)',
    },
    {
      series: 'goodputIncluded',
      stat: 'min',
      op: '>=',
      value: 0.5,
      label: 'Included goodput ≥ 50 % in every hour',
    },
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
  ],
});
