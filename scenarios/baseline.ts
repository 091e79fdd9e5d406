import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { laneSlo } from './calibrated.ts';
import { describeMeasured } from './measured.ts';
import { baselineNetwork } from './network.ts';

/**
 * baseline — ONE's default protocol parameters (protocol/params.ts) on a calibrated small network
 * for two weeks: 1,000 holders, 6 sponsors and 20 RTX 4090-class workers serving an 8B-class chat
 * model, with every per-user, per-request and per-GPU figure from scenarios/calibration.json.
 *
 * Question: do ONE's defaults pay workers and keep the treasury? The expectations are questions
 * (`question: true`: reported YES/NO, a NO does not make the run exit 1), one per thing a
 * healthy network needs: the treasury never goes negative and lasts at least a year at the run's
 * net outflow, credits are not cut, the median honest worker earns at least its cost, and 99 % of
 * each lane's jobs complete within the lane's SLO. Every other scenario changes one thing
 * against this one; `healthy` is the nearest network that passes.
 */
export const baselineExpectations = [
  {
    metric: 'treasuryMinUsdc',
    op: '>=',
    value: 0,
    label: 'treasury never below 0',
    question: true,
  },
  {
    metric: 'treasuryRunwayDays',
    op: '>=',
    value: 365,
    label: "the treasury lasts ≥ 1 year at the run's net outflow",
    question: true,
  },
  {
    metric: 'sigmaMin',
    op: '>=',
    value: 0.99,
    label: 'credits are never cut by the treasury bound',
    question: true,
  },
  {
    metric: 'honestWorkerIncomeOverCostP50',
    op: '>=',
    value: 1,
    label: 'the median honest worker earns at least its cost',
    question: true,
  },
  {
    metric: 'goodputIncluded',
    op: '>=',
    value: 0.99,
    label: `Included goodput ≥ 99 % (done within ${laneSlo.includedMs / 1000} s)`,
    question: true,
  },
  {
    metric: 'goodputDedicated',
    op: '>=',
    value: 0.99,
    label: `Dedicated goodput ≥ 99 % (done within ${laneSlo.dedicatedMs / 1000} s)`,
    question: true,
  },
] as const satisfies NonNullable<Parameters<typeof defineScenario>[0]['expectations']>;

/** Measured by the command below; rerun it after changing the network or the defaults. */
const measured = {
  command: 'npx onesim sweep baseline --seeds 1..100 --days 7 --out out/calibration/baseline',
  seeds: 100,
  days: 7,
  scale: 1,
  seconds: 1692,
  machine: '2 shared CPU cores',
  commit: '87fe1ce',
  failure: {
    'treasury never below 0': 0,
    "the treasury lasts ≥ 1 year at the run's net outflow": 0,
    'credits are never cut by the treasury bound': 0,
    'the median honest worker earns at least its cost': 1,
    [baselineExpectations[4].label]: 0,
    [baselineExpectations[5].label]: 0.66,
  },
};

const verdict = [
  "No: ONE's defaults do not pay workers on this network. The median honest worker earns 0.35 of",
  'its cost a day (p5 0.24 [0.22, 0.26], p95 0.43 over 100 seeds): the calibrated demand pays the',
  'fleet about 92 USDC a day and 20 workers share it against 13.2 USDC of cost each.',
  'The treasury is safe: it grows in every seed (median +299 USDC over 7 days; runway ≥ 10 years),',
  'σ never cuts credits and 99.99 % of Included jobs are done within 2 minutes. Dedicated goodput',
  'falls below 99 % in 66 % of seeds (median 98.6 %): jobs arriving at random at 70 % of a small',
  "sponsor's reserved rate wait for its 60 s token bucket. `healthy` shows the nearest parameters",
  'that pass.',
].join('\n');

export default defineScenario({
  name: 'baseline',
  question:
    "Do ONE's default parameters pay workers and keep the treasury on a calibrated network (1,000 holders, 6 sponsors, 20 RTX 4090-class workers)?",
  description: describeMeasured(verdict, [...baselineExpectations], measured),
  days: 14,
  ...baselineNetwork,
  expectations: [...baselineExpectations],
});
