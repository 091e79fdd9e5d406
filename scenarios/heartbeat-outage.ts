import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { baselineNetwork } from './network.ts';

/**
 * heartbeat-outage — no oracle posts availability for days 2 and 3 (a Proof-of-Availability
 * outage), and three workers flap (30 min on, 10 min off).
 *
 * Question: does a faulty PoA day behave as Ratio1 intends (everyone scored 255, nobody
 * punished for the oracles' failure), and do flapping workers score and get routed less?
 */
export default defineScenario({
  name: 'heartbeat-outage',
  question:
    'When oracles miss whole days, is everyone scored 255 (faulty day) rather than punished, and do flapping workers score lower?',
  days: 6,
  ...baselineNetwork,
  oracles: { count: 5, outageDays: [2, 3] },
  adversaries: { flappingWorkers: { count: 3, onMinutes: 30, offMinutes: 10 } },
  expectations: [
    { metric: 'faultyDays', op: '>=', value: 2, label: 'the outage days are faulty days' },
    {
      metric: 'availabilityScoreMean',
      op: '>=',
      value: 200,
      label: 'mean availability stays high',
    },
  ],
});
