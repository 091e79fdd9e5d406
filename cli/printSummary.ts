import type { RunSummary } from '../sim/run/summary.ts';

const n = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 2 });
const s = (ms: number): string =>
  `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;

/** The readable table `onesim run` prints: what a protocol designer looks at first. */
export function printSummary(r: RunSummary, outDir: string | null): void {
  const h = r.headline;
  const rows: Array<[string, string]> = [
    ['scenario', `${r.scenario} (seed ${r.seed}, ${r.days} days, commit ${r.commit.slice(0, 10)})`],
    ['status', r.status],
    ['jobs submitted / completed', `${n(h.jobsSubmitted)} / ${n(h.jobsCompleted)}`],
    [
      'jobs expired / failed / denied',
      `${n(h.jobsExpired)} / ${n(h.jobsFailed)} / ${n(h.submissionsDenied)}`,
    ],
    [
      'Included wait p50 / p95 / p99',
      `${s(h.waitIncludedMsP50)} / ${s(h.waitIncludedMsP95)} / ${s(h.waitIncludedMsP99)}`,
    ],
    [
      'Dedicated wait p50 / p95 / p99',
      `${s(h.waitDedicatedMsP50)} / ${s(h.waitDedicatedMsP95)} / ${s(h.waitDedicatedMsP99)}`,
    ],
    [
      'goodput Included / Dedicated',
      `${n(h.goodputIncluded * 100)} % / ${n(h.goodputDedicated * 100)} % (done within the lane's SLO)`,
    ],
    ['median honest worker income ÷ cost', n(r.derived.honestWorkerIncomeOverCostP50)],
    [
      'treasury start → end (min)',
      `${n(h.treasuryStartUsdc)} → ${n(h.treasuryEndUsdc)} USDC (min ${n(h.treasuryMinUsdc)})`,
    ],
    ['treasury bound σ (min)', n(h.sigmaMin)],
    ['utilisation (mean)', `${n(h.utilisationMean * 100)} %`],
    ['paid to workers', `${n(h.paidToWorkersUsdc)} USDC`],
    ['fees / take / forfeited', `${n(h.feesUsdc)} / ${n(h.takeUsdc)} / ${n(h.forfeitedUsdc)} USDC`],
    [
      'worker income a day p5 / p50 / p95',
      `${n(h.workerIncomeUsdcPerDayP5)} / ${n(h.workerIncomeUsdcPerDayP50)} / ${n(h.workerIncomeUsdcPerDayP95)} USDC`,
    ],
    [
      'availability (mean score) / faulty days',
      `${n(h.availabilityScoreMean)} / ${n(h.faultyDays)}`,
    ],
    [
      'audits / confirmed mismatches / slashed',
      `${n(h.auditsOpened)} / ${n(h.mismatchesConfirmed)} / ${n(h.slashedUsdc)} USDC`,
    ],
    [
      'workers left / holders left',
      `${n(h.workersLeft)} / ${n(h.holdersLeft)} of ${n(h.holdersEnd)}`,
    ],
    ...deploymentRows(r),
    [
      'invariants',
      r.invariants.violation
        ? `VIOLATED at ${r.invariants.violation.atMs} ms after action #${r.invariants.violation.actionIndex}: ${r.invariants.violation.violations.map((v) => `${v.invariant}: ${v.message}`).join('; ')}`
        : `all hold (${r.invariants.checks} checks)`,
    ],
    ['final state hash', r.finalStateHash],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  if (outDir)
    console.log(`${'output'.padEnd(width)}  ${outDir}/{summary.json,metrics.csv,trace.jsonl.gz}`);
  if (r.description) console.log(`\nwhat this scenario found over many seeds:\n${r.description}\n`);
  if (r.invariants.violation)
    console.log(`reproduce: npx onesim run ${r.scenario} --seed ${r.seed} --days ${r.days}`);
}

/** Deployments (only when the scenario deploys): how often short of replicas, what placing cost. */
function deploymentRows(r: RunSummary): Array<[string, string]> {
  const h = r.headline;
  if (h.underReplicatedShare === undefined) return [];
  return [
    [
      'models under-replicated (share of time)',
      `${n(h.underReplicatedShare * 100)} % of model-time (${n(h.deployedModels ?? 0)} models)`,
    ],
    [
      'replica transfers / mean time',
      `${n(h.replicaTransfers ?? 0)} / ${s((h.replicaTransferSecondsMean ?? 0) * 1000)} (cache ${n((h.replicaCacheHitShare ?? 0) * 100)} %, from peers ${n((h.replicaPeerFetchShare ?? 0) * 100)} %)`,
    ],
  ];
}
