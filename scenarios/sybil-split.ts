import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineNetwork } from './network.ts';

/**
 * sybil-split — holders who each stake about 20 × the threshold T (a Pareto with a steep tail,
 * so stakes sit close to 20 T). Under the default linear schedule a stake of 20 T earns the same
 * credits in one account as in twenty; a concave schedule (`sqrt`, or tiers) pays more per ONE
 * to small accounts, so splitting leaks credits. The comparison is a sweep:
 *
 *   onesim sweep sybil-split --grid params.allotmentSchedule.kind=linear,sqrt --grid holders.stakeMinOne=1000,20000
 *
 * `allotmentCuPerThresholdStake` (credits a day per T staked) at stake T over the same at
 * 20 T is the factor a sybil gains by splitting.
 *
 * Question: how many more credits does a holder get by splitting its stake into accounts at the
 * threshold, under the linear schedule (none, invariant 7) and under a concave one?
 */
export default defineScenario({
  name: 'sybil-split',
  question:
    'Does splitting stake across accounts earn more credits: none under the linear schedule, how much under a concave one?',
  days: 3,
  ...baselineNetwork,
  holders: { ...baselineNetwork.holders, count: 300, stakeMinOne: 20_000, stakeParetoAlpha: 30 },
  sponsors: { ...baselineNetwork.sponsors, count: 2 },
  workers: { ...baselineNetwork.workers, count: 10 },
  expectations: [
    {
      metric: 'allotmentCuPerThresholdStake',
      op: '<=',
      value: 5_000,
      label: 'no more than A = 5,000 CU a day per T staked (no sybil gain)',
    },
    {
      metric: 'sigmaMin',
      op: '>=',
      value: 0.99,
      label: 'credits are not cut (the comparison is not distorted by σ)',
    },
  ],
});
