import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineNetwork } from './network.ts';

/**
 * flash-stake — 20 flash stakers each bring 10,000 ONE a minute before every day boundary and
 * unstake a minute after, to catch the day's snapshot.
 *
 * Question: what does the snapshot rule leak to flash stakers (credits a day), and what capital
 * does it cost them given the 7-day unbonding?
 */
export default defineScenario({
  name: 'flash-stake',
  question:
    'How many credits a day does a flash staker capture with the start-of-day snapshot, and how much ONE must it lock for that?',
  days: 10,
  ...baselineNetwork,
  adversaries: { flashStakers: { count: 20, stakeOne: 10_000 } },
  expectations: [
    {
      metric: 'flashStakerCapitalOne',
      op: '>=',
      value: 70_000,
      label: 'unbonding makes a flash staker lock ≥ 7 days of stake',
    },
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
  ],
});
