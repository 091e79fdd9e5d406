import { defineScenario } from '../sim/scenario/scenarioSchema.ts';

/**
 * heartbeat-outage — no oracle posts availability for days 2 and 3 (a Proof-of-Availability
 * outage), and three workers flap (30 min on, 10 min off).
 *
 * Question: does a faulty PoA day behave as Ratio1 intends (everyone scored 255, nobody
 * punished for the oracles' failure), and do flapping workers score and get routed less?
 */
export default defineScenario({
  name: 'heartbeat-outage',
  question: 'When oracles miss whole days, is everyone scored 255 (faulty day) rather than punished, and do flapping workers score lower?',
  days: 6,
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
  oracles: { count: 5, outageDays: [2, 3] },
  adversaries: { flappingWorkers: { count: 3, onMinutes: 30, offMinutes: 10 } },
  expectations: [
    { metric: 'faultyDays', op: '>=', value: 2, label: 'the outage days are faulty days' },
    { metric: 'availabilityScoreMean', op: '>=', value: 200, label: 'mean availability stays high' },
  ],
});
