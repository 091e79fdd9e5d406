import { defineScenario } from '../sim/scenario/scenarioSchema.ts';

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
  treasuryGenesisUsdc: 250_000,
  models: [
    { name: 'chat-s', cuPerRequest: 500, weight: 5 },
    { name: 'embed-s', cuPerRequest: 100, weight: 2 },
  ],
  holders: {
    count: 300,
    stakeMinOne: 20_000,
    stakeParetoAlpha: 30,
    activeShare: 0.6,
    jobsPerDayMedian: 10,
    jobsPerDaySigma: 0.8,
  },
  sponsors: {
    count: 2,
    rateCuPerSecMin: 20,
    rateCuPerSecMax: 80,
    reservationHours: 24,
    utilisation: 0.7,
  },
  workers: {
    count: 10,
    slots: 4,
    capacityCuPerSecMedian: 250,
    capacityCuPerSecSigma: 0.3,
    costUsdcPerDayMedian: 5,
  },
  faults: { crashesPerWorkerDay: 0.1, restartMinutesMean: 20, resultDelayMsMax: 500 },
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
