import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineNetwork } from './network.ts';

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
  ...baselineNetwork,
  expectations: [
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
    { metric: 'sigmaMin', op: '>=', value: 0.99, label: 'credits are never cut by the treasury bound' },
    { series: 'waitIncludedMsP95', stat: 'max', op: '<=', value: 600_000, label: 'Included p95 wait ≤ 10 min in every hour' },
    { metric: 'waitIncludedMsP95', op: '<=', value: 60_000, label: 'Included p95 wait over the run ≤ 1 min' },
    { metric: 'honestWorkerIncomeOverCostP50', op: '>=', value: 0.5, label: 'the median honest worker earns at least half its operating cost' },
  ],
});
