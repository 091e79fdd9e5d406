import { defineScenario } from '../sim/scenario/scenarioSchema.ts';

/**
 * flash-stake — 20 flash stakers each bring 10,000 ONE a minute before every day boundary and
 * unstake a minute after, to catch the day's snapshot.
 *
 * Question: what does the snapshot rule leak to flash stakers (credits a day), and what capital
 * does it cost them given the 7-day unbonding?
 */
export default defineScenario({
  name: 'flash-stake',
  question: 'How many credits a day does a flash staker capture with the start-of-day snapshot, and how much ONE must it lock for that?',
  days: 10,
  treasuryGenesisUsdc: 250_000,
  models: [
    { name: 'chat-s', cuPerRequest: 500, weight: 5 },
    { name: 'chat-m', cuPerRequest: 1_500, weight: 3 },
    { name: 'embed-s', cuPerRequest: 100, weight: 2 },
  ],
  holders: { count: 1_000, activeShare: 0.6, jobsPerDayMedian: 10, jobsPerDaySigma: 0.8 },
  sponsors: { count: 6, rateCuPerSecMin: 20, rateCuPerSecMax: 80, reservationHours: 24, utilisation: 0.7 },
  workers: { count: 20, slots: 4, capacityCuPerSecMedian: 250, capacityCuPerSecSigma: 0.3, costUsdcPerDayMedian: 5 },
  faults: { crashesPerWorkerDay: 0.1, restartMinutesMean: 20, resultDelayMsMax: 500 },
  adversaries: { flashStakers: { count: 20, stakeOne: 10_000 } },
  expectations: [
    { metric: 'flashStakerCapitalOne', op: '>=', value: 70_000, label: 'unbonding makes a flash staker lock ≥ 7 days of stake' },
    { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
  ],
});
