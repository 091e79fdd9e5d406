import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { holderDemand } from './calibrated.ts';
import { baselineNetwork } from './network.ts';

/**
 * fee-collapse — sponsors stop renewing Dedicated reservations on day 2, so fee and take
 * revenue dries up while every holder spends all its daily credits (demand far above them:
 * each asks 12 × the calibrated mean prompts a day, about 40).
 * The treasury starts at about 1.2 × runwayDays × the nominal allotment's daily cost, so the
 * treasury bound (budget = treasury / runwayDays) starts above the allotment's cost and reaches
 * it as Included payouts drain the treasury.
 *
 * Question: Dedicated demand dries up — how long do daily credits last before σ cuts them,
 * and how far does σ fall?
 */
export default defineScenario({
  name: 'fee-collapse',
  question:
    'Dedicated demand dries up on day 2: how long do daily credits last before the treasury bound σ cuts them?',
  days: 30,
  ...baselineNetwork,
  treasuryGenesisUsdc: 1_600,
  holders: {
    ...baselineNetwork.holders,
    stakeParetoAlpha: 3,
    activeShare: 1,
    jobsPerDayMedian: holderDemand.jobsPerDayMean * 12,
    jobsPerDaySigma: 0.5,
    leaveProbability: 0,
  },
  sponsors: { ...baselineNetwork.sponsors, stopRenewingOnDay: 2 },
  expectations: [
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
    {
      metric: 'daysBeforeCreditsCut',
      op: '>=',
      value: 14,
      label: 'credits last at least 14 days without fee revenue',
    },
    { metric: 'sigmaMin', op: '>=', value: 0.5, label: 'σ never halves the credits' },
  ],
});
