import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { laneSlo } from './calibrated.ts';
import { baselineNetwork } from './network.ts';

/**
 * baseline — ONE's default protocol parameters (protocol/params.ts) on a calibrated small network
 * for two weeks: 1,000 holders, 6 sponsors and 20 RTX 4090-class workers serving an 8B-class chat
 * model, with every per-user, per-request and per-GPU figure from scenarios/calibration.json.
 *
 * Question: do ONE's defaults pay workers and keep the treasury? The expectations are what a
 * healthy network needs: the treasury never goes negative and lasts at least a year at the run's
 * net outflow, credits are not cut, the median honest worker earns at least its cost, and 99 % of
 * each lane's jobs complete within the lane's SLO. Every other scenario changes one thing
 * against this one; `healthy` is the nearest network that passes.
 */
export const baselineExpectations = [
  { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
  {
    metric: 'treasuryRunwayDays',
    op: '>=',
    value: 365,
    label: "the treasury lasts ≥ 1 year at the run's net outflow",
  },
  {
    metric: 'sigmaMin',
    op: '>=',
    value: 0.99,
    label: 'credits are never cut by the treasury bound',
  },
  {
    metric: 'honestWorkerIncomeOverCostP50',
    op: '>=',
    value: 1,
    label: 'the median honest worker earns at least its cost',
  },
  {
    metric: 'goodputIncluded',
    op: '>=',
    value: 0.99,
    label: `Included goodput ≥ 99 % (done within ${laneSlo.includedMs / 1000} s)`,
  },
  {
    metric: 'goodputDedicated',
    op: '>=',
    value: 0.99,
    label: `Dedicated goodput ≥ 99 % (done within ${laneSlo.dedicatedMs / 1000} s)`,
  },
] as const satisfies NonNullable<Parameters<typeof defineScenario>[0]['expectations']>;

export default defineScenario({
  name: 'baseline',
  question:
    "Do ONE's default parameters pay workers and keep the treasury on a calibrated network (1,000 holders, 6 sponsors, 20 RTX 4090-class workers)?",
  days: 14,
  ...baselineNetwork,
  expectations: [...baselineExpectations],
});
