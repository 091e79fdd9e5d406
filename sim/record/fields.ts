/**
 * The names a run's numbers go by: summary.json's `headline` and `derived`, what expectations,
 * sweeps and findings address. Scenario files are checked against these lists when they load.
 */

/** Headline metrics, in summary.json order (the profile ones only with `--workers-from`). */
export const headlineMetrics = [
  'daysSimulated',
  'jobsSubmitted',
  'jobsCompleted',
  'jobsExpired',
  'jobsExpiredIncluded',
  'jobsExpiredDedicated',
  'jobsFailed',
  'submissionsDenied',
  'waitIncludedMsP50',
  'waitIncludedMsP95',
  'waitIncludedMsP99',
  'waitDedicatedMsP50',
  'waitDedicatedMsP95',
  'waitDedicatedMsP99',
  'jobsSubmittedIncluded',
  'jobsSubmittedDedicated',
  'goodputIncluded',
  'goodputDedicated',
  'treasuryStartUsdc',
  'treasuryEndUsdc',
  'treasuryMinUsdc',
  'sigmaMin',
  'utilisationMean',
  'paidToWorkersUsdc',
  'feesUsdc',
  'takeUsdc',
  'forfeitedUsdc',
  'workerIncomeUsdcPerDayP5',
  'workerIncomeUsdcPerDayP50',
  'workerIncomeUsdcPerDayP95',
  'availabilityScoreMean',
  'availabilityDaysClosed',
  'faultyDays',
  'auditsOpened',
  'mismatchesConfirmed',
  'slashedUsdc',
  'bountiesUsdc',
  'oracleFeesUsdc',
  'withheldUsdc',
  'jailedWorkersEnd',
  'lazyWorkers',
  'lazyFakedJobs',
  'lazyProfitUsdcPerWorkerDay',
  'honestIncomeUsdcPerWorkerDayP50',
  'lazyIncomeUsdcPerWorkerDay',
  'flappingIncomeUsdcPerWorkerDay',
  'licenceMintedUsdc',
  'poaiPaidUsdc',
  'burnedUsdc',
  'escrowEndUsdc',
  'consensusFailedDays',
  'sybilCreditsCuToday',
  'sybilMergedCreditsCuToday',
  'sybilLeakShare',
  'flashStakerCreditsCuPerDay',
  'flashStakerCapitalOne',
  'profileWorkers',
  'profileWorkerCapacityCuPerSec',
  'profileWorkerIncomeUsdcPerDay',
  'deployedModels',
  'underReplicatedShare',
  'replicaTransfers',
  'replicaTransferSecondsMean',
  'replicaCacheHitShare',
  'replicaPeerFetchShare',
  'replicaDropsOffline',
  'replicaDropsExited',
  'replicaRescales',
  'sealedJobs',
  'sealedAuditsOpened',
  'deterrenceMargin',
  'workersLeft',
  'holdersLeft',
  'holdersEnd',
] as const;
export type HeadlineMetric = (typeof headlineMetrics)[number];

/** Present only when the run has workers from a measured capacity profile. */
export const profileMetrics = [
  'profileWorkers',
  'profileWorkerCapacityCuPerSec',
  'profileWorkerIncomeUsdcPerDay',
] as const satisfies readonly HeadlineMetric[];
export type ProfileMetric = (typeof profileMetrics)[number];

/** Present only when the scenario deploys its models (`deployments`). */
export const deploymentMetrics = [
  'deployedModels',
  'underReplicatedShare',
  'replicaTransfers',
  'replicaTransferSecondsMean',
  'replicaCacheHitShare',
  'replicaPeerFetchShare',
  'replicaDropsOffline',
  'replicaDropsExited',
  'replicaRescales',
] as const satisfies readonly HeadlineMetric[];
export type DeploymentMetric = (typeof deploymentMetrics)[number];

/** Present only when the scenario seals jobs (`sealedJobs`). */
export const sealedMetrics = [
  'sealedJobs',
  'sealedAuditsOpened',
  'deterrenceMargin',
] as const satisfies readonly HeadlineMetric[];
export type SealedMetric = (typeof sealedMetrics)[number];

/** Headline metrics only some runs have. */
export type OptionalMetric = ProfileMetric | DeploymentMetric | SealedMetric;

/** Metrics computed from the whole run (summary.json `derived`), in summary.json order. */
export const derivedMetrics = [
  'honestWorkers',
  'honestWorkersCoveringCostShare',
  'honestWorkerIncomeOverCostP50',
  'honestWorkerIncomeOverCostMin',
  'creditsIssuedCuPerDayMean',
  'creditsIssuedCuPerDayMax',
  'creditsUsedCuPerDayMean',
  'allotmentCuPerThresholdStake',
  'daysBeforeCreditsCut',
  'dedicatedDemandOverCapacity',
  'treasuryNetUsdc',
  'treasuryEndOverStart',
  'treasuryRunwayDays',
  'treasuryDrawdownShare',
  'includedMissedShare',
  'allotmentSustainedCuPerThresholdStake',
] as const;
export type DerivedMetric = (typeof derivedMetrics)[number];

/** Every number an expectation's `metric` may name. */
export const recordMetrics = [...headlineMetrics, ...derivedMetrics] as const;
export type RecordMetric = HeadlineMetric | DerivedMetric;

export type Headline = { [K in Exclude<HeadlineMetric, OptionalMetric>]: number } & {
  [K in OptionalMetric]?: number;
} & {
  /** The machine and provider the profile was measured on (with the profile metrics). */
  profileWorkerLabel?: string;
};
export type Derived = { [K in DerivedMetric]: number };

const derivedSet: ReadonlySet<string> = new Set(derivedMetrics);
export const isDerivedMetric = (m: RecordMetric): m is DerivedMetric => derivedSet.has(m);
