import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineNetwork } from './network.ts';

/**
 * growth — the baseline network while its holders grow tenfold over 90 days (new holders join
 * every day), with the worker fleet and sponsors unchanged.
 *
 * Question: when holders grow ×10 in 90 days and nobody adds workers, what gives first: the
 * treasury bound σ (credits cut), the Included queue (waits), or nothing at all?
 */
export default defineScenario({
  name: 'growth',
  question:
    'Holders grow ×10 over 90 days with a fixed fleet: does σ cut credits, do Included waits grow, or does the network absorb it?',
  days: 90,
  ...baselineNetwork,
  holders: { ...baselineNetwork.holders, count: 200, growthMultiplier: 10 },
  expectations: [
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
    {
      metric: 'sigmaMin',
      op: '>=',
      value: 0.99,
      label: 'credits are never cut by the treasury bound',
    },
    {
      series: 'waitIncludedMsP95',
      stat: 'max',
      op: '<=',
      value: 600_000,
      label: 'Included p95 wait ≤ 10 min in every hour',
    },
    {
      metric: 'utilisationMean',
      op: '<=',
      value: 0.85,
      label: 'mean utilisation stays below 85 %',
    },
  ],
});
