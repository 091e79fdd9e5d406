import { allotmentCu, nominalCredits } from '../../protocol/index.ts';
import { sealedAuditOf } from '../../protocol/params.ts';
import {
  auditableShare,
  colludingShare,
  targetedAuditableShare,
} from '../deterrence/deterrence.ts';
import { LogHistogram } from '../metrics/logHistogram.ts';
import type { Simulation } from '../network/simulation.ts';
import type {
  DeploymentMetric,
  Headline,
  HeadlineMetric,
  ProfileMetric,
  SealedMetric,
} from './fields.ts';
import { round6 } from './round6.ts';
import type { LedgerRow } from './workerLedger.ts';

/** The headline of a finished simulation; worker figures come from the ledger. */
export function headlineOf(
  sim: Simulation,
  ledger: readonly LedgerRow[],
  daysRun: number,
): Headline {
  const m = sim.metrics;
  const s = sim.state;
  const t = s.totals;
  const income = new LogHistogram();
  for (const w of ledger) income.add(w.incomeUsdcPerDay);
  return {
    daysSimulated: round6(daysRun),
    jobsSubmitted: m.totals.submitted,
    jobsCompleted: m.totals.completed,
    jobsExpired: m.totals.expired,
    jobsExpiredIncluded: m.totals.expiredIncluded,
    jobsExpiredDedicated: m.totals.expiredDedicated,
    jobsFailed: m.totals.failed,
    submissionsDenied: m.totals.denied,
    waitIncludedMsP50: round6(m.waitIncludedTotal.quantile(0.5)),
    waitIncludedMsP95: round6(m.waitIncludedTotal.quantile(0.95)),
    waitIncludedMsP99: round6(m.waitIncludedTotal.quantile(0.99)),
    waitDedicatedMsP50: round6(m.waitDedicatedTotal.quantile(0.5)),
    waitDedicatedMsP95: round6(m.waitDedicatedTotal.quantile(0.95)),
    waitDedicatedMsP99: round6(m.waitDedicatedTotal.quantile(0.99)),
    jobsSubmittedIncluded: m.lanes.submitted[0]!,
    jobsSubmittedDedicated: m.lanes.submitted[1]!,
    goodputIncluded: round6(m.goodput(0)),
    goodputDedicated: round6(m.goodput(1)),
    treasuryStartUsdc: sim.scenario.treasuryGenesisUsdc,
    treasuryEndUsdc: round6(Number(s.treasuryMicroUsdc) / 1e6),
    treasuryMinUsdc: round6(
      Number.isFinite(m.treasuryMinUsdc) ? m.treasuryMinUsdc : Number(s.treasuryMicroUsdc) / 1e6,
    ),
    sigmaMin: round6(m.sigmaMin),
    utilisationMean: round6(m.samples === 0 ? 0 : m.utilisationSum / m.samples),
    paidToWorkersUsdc: round6(Number(t.settledMicroUsdc - t.takeMicroUsdc) / 1e6),
    feesUsdc: round6(Number(t.feesMicroUsdc) / 1e6),
    takeUsdc: round6(Number(t.takeMicroUsdc) / 1e6),
    forfeitedUsdc: round6(Number(t.forfeitedMicroUsdc) / 1e6),
    workerIncomeUsdcPerDayP5: round6(income.quantile(0.05)),
    workerIncomeUsdcPerDayP50: round6(income.quantile(0.5)),
    workerIncomeUsdcPerDayP95: round6(income.quantile(0.95)),
    ...verificationHeadline(sim, ledger, daysRun),
    ...rewardRulesHeadline(sim, ledger),
    ...sybilHeadline(sim, daysRun),
    ...profileHeadline(sim, daysRun),
    ...deploymentHeadline(sim),
    ...sealedHeadline(sim),
    workersLeft: ledger.filter((w) => w.left).length,
    holdersLeft: sim.holders.filter((h) => h.left).length,
    holdersEnd: sim.holders.length,
  };
}

type Part<K extends HeadlineMetric> = { [P in K]: number };

/** Availability, audits, slashing, and what cheating earned (income + saved cost − slashed bond). */
function verificationHeadline(
  sim: Simulation,
  ledger: readonly LedgerRow[],
  daysRun: number,
): Part<
  | 'availabilityScoreMean'
  | 'availabilityDaysClosed'
  | 'faultyDays'
  | 'auditsOpened'
  | 'mismatchesConfirmed'
  | 'slashedUsdc'
  | 'bountiesUsdc'
  | 'oracleFeesUsdc'
  | 'withheldUsdc'
  | 'jailedWorkersEnd'
  | 'lazyWorkers'
  | 'lazyFakedJobs'
  | 'lazyProfitUsdcPerWorkerDay'
  | 'honestIncomeUsdcPerWorkerDayP50'
> {
  const t = sim.state.totals;
  let scoreSum = 0;
  let jailed = 0;
  for (const w of sim.state.workers.values()) {
    scoreSum += w.availabilityScore;
    if (w.jailed) jailed++;
  }
  const honest = new LogHistogram();
  for (const w of ledger) if (w.honest) honest.add(w.incomeUsdcPerDay);
  const lazy = sim.workers.filter((w) => w.fakeShare > 0);
  let lazyProfit = 0;
  let faked = 0;
  for (const w of lazy) {
    const slashed = Number(sim.state.workers.get(w.address)?.slashedMicroUsdc ?? 0n);
    lazyProfit +=
      (Number(w.incomeTotalMicroUsdc) + Number(w.savingMicroUsdc) - slashed) / 1e6 / daysRun;
    faked += w.fakedJobs;
  }
  return {
    availabilityScoreMean: round6(
      sim.state.workers.size === 0 ? 0 : scoreSum / sim.state.workers.size,
    ),
    availabilityDaysClosed: t.availabilityDaysClosed,
    faultyDays: t.faultyDays,
    auditsOpened: t.auditsOpened,
    mismatchesConfirmed: t.mismatchesConfirmed,
    slashedUsdc: round6(Number(t.slashedMicroUsdc) / 1e6),
    bountiesUsdc: round6(Number(t.bountiesMicroUsdc) / 1e6),
    oracleFeesUsdc: round6(Number(t.oracleFeesMicroUsdc) / 1e6),
    withheldUsdc: round6(Number(t.withheldMicroUsdc) / 1e6),
    jailedWorkersEnd: jailed,
    lazyWorkers: lazy.length,
    lazyFakedJobs: faked,
    lazyProfitUsdcPerWorkerDay: round6(lazy.length === 0 ? 0 : lazyProfit / lazy.length),
    honestIncomeUsdcPerWorkerDayP50: round6(honest.quantile(0.5)),
  };
}

/**
 * Who earned what and where the money went under either rule set (PROTOCOL.md §10): lazy and
 * flapping workers' income a day (honest: honestIncomeUsdcPerWorkerDayP50), and Ratio1's books
 * (licence mining, escrow payments, burn, escrow left; all 0 under ONE's rules).
 */
function rewardRulesHeadline(
  sim: Simulation,
  ledger: readonly LedgerRow[],
): Part<
  | 'lazyIncomeUsdcPerWorkerDay'
  | 'flappingIncomeUsdcPerWorkerDay'
  | 'licenceMintedUsdc'
  | 'poaiPaidUsdc'
  | 'burnedUsdc'
  | 'escrowEndUsdc'
  | 'consensusFailedDays'
> {
  const meanIncome = (rows: readonly LedgerRow[]) =>
    rows.length === 0 ? 0 : rows.reduce((a, w) => a + w.incomeUsdcPerDay, 0) / rows.length;
  const r1 = sim.state.ratio1;
  const usdc = (v: bigint | undefined) => round6(Number(v ?? 0n) / 1e6);
  return {
    lazyIncomeUsdcPerWorkerDay: round6(meanIncome(ledger.filter((w) => w.lazy))),
    flappingIncomeUsdcPerWorkerDay: round6(meanIncome(ledger.filter((w) => w.flapping))),
    licenceMintedUsdc: usdc(r1?.mintedMicroUsdc),
    poaiPaidUsdc: usdc(r1?.poaiPaidMicroUsdc),
    burnedUsdc: usdc(r1?.burnedMicroUsdc),
    escrowEndUsdc: usdc(r1?.escrowMicroUsdc),
    consensusFailedDays: r1?.consensusFailedDays ?? 0,
  };
}

/** What sybils and flash stakers got: credits per day against the same stake in one account. */
function sybilHeadline(
  sim: Simulation,
  daysRun: number,
): Part<
  | 'sybilCreditsCuToday'
  | 'sybilMergedCreditsCuToday'
  | 'sybilLeakShare'
  | 'flashStakerCreditsCuPerDay'
  | 'flashStakerCapitalOne'
> {
  const p = sim.params;
  const b = sim.state.dayBudgets.get(sim.state.day);
  const sigma = b?.sigma ?? { num: 1n, den: 1n };
  const groups = new Map<number, { credits: bigint; stake: bigint }>();
  for (const h of sim.holders) {
    if (h.sybilGroup < 0) continue;
    const s = sim.state.holders.get(h.address);
    const g = groups.get(h.sybilGroup) ?? { credits: 0n, stake: 0n };
    g.credits += s?.allotmentCu ?? 0n;
    g.stake += s?.snapshotOneWei ?? 0n;
    groups.set(h.sybilGroup, g);
  }
  let split = 0n;
  let merged = 0n;
  for (const g of groups.values()) {
    split += g.credits;
    merged += allotmentCu(
      nominalCredits({
        schedule: p.allotmentSchedule,
        stakeOneWei: g.stake,
        thresholdOneWei: p.stakeThresholdOneWei,
        creditsPerThresholdCu: p.creditsPerThresholdCu,
      }),
      sigma,
    );
  }
  return {
    sybilCreditsCuToday: Number(split),
    sybilMergedCreditsCuToday: Number(merged),
    sybilLeakShare: round6(merged === 0n ? 0 : Number(split - merged) / Number(merged)),
    flashStakerCreditsCuPerDay: round6(
      sim.flashStakers.length === 0 ? 0 : sim.flashCreditsCu / sim.flashStakers.length / daysRun,
    ),
    flashStakerCapitalOne: round6(
      Number(sim.flashCapitalOneWei / 10n ** 12n) / 1e6 / Math.max(1, sim.flashStakers.length),
    ),
  };
}

/** What workers with the measured capacity earned a day under the scenario's prices. */
function profileHeadline(
  sim: Simulation,
  daysRun: number,
): Partial<Part<ProfileMetric>> & { profileWorkerLabel?: string } {
  const ws = sim.workers.filter((w) => w.fromProfile);
  if (ws.length === 0) return {};
  const income =
    ws.reduce((a, w) => a + Number(w.incomeTotalMicroUsdc), 0) / 1e6 / ws.length / daysRun;
  return {
    profileWorkers: ws.length,
    profileWorkerLabel: sim.scenario.profileWorkers.label,
    profileWorkerCapacityCuPerSec: ws[0]!.capacityCuPerSec,
    profileWorkerIncomeUsdcPerDay: round6(income),
  };
}

/** Deployments: how long models were under-replicated and what replica placement cost. */
function deploymentHeadline(sim: Simulation): Partial<Part<DeploymentMetric>> {
  const d = sim.deployments;
  if (!d) return {};
  d.advance(sim.engine.nowMs);
  return {
    deployedModels: sim.state.deployments?.size ?? 0,
    underReplicatedShare: round6(d.observedMs === 0 ? 0 : d.underMs / d.observedMs),
    replicaTransfers: d.transfersDone,
    replicaTransferSecondsMean: round6(
      d.transfersDone === 0 ? 0 : d.transferMsTotal / d.transfersDone / 1000,
    ),
    replicaCacheHitShare: round6(d.transfersDone === 0 ? 0 : d.cacheHits / d.transfersDone),
    replicaPeerFetchShare: round6(d.transfersDone === 0 ? 0 : d.peerFetches / d.transfersDone),
    replicaDropsOffline: d.drops.offline,
    replicaDropsExited: d.drops.exited,
    replicaRescales: d.rescales,
  };
}

/**
 * Sealed jobs: how many were submitted and audited, and the Proof-of-Sampling margin at this
 * sealed share: p · (1 − r) · a · (R + S) / C, the expected penalty of a faked job over what
 * faking saves (≥ 1: cheating does not pay; sim/deterrence derives a). R + S is what a detection
 * cost this run's lazy workers on average; without a detection, the slash of a minimum bond only.
 */
function sealedHeadline(sim: Simulation): Partial<Part<SealedMetric>> {
  const sealed = sim.scenario.sealedJobs;
  if (!sealed) return {};
  const p = sim.params;
  const lazy = sim.workers.filter((w) => w.fakeShare > 0);
  const detections = lazy.reduce((n, w) => n + w.detections, 0);
  const penaltyUsdc = lazy.reduce((n, w) => n + Number(w.penaltyMicroUsdc), 0) / 1e6;
  const perDetectionUsdc =
    detections > 0
      ? penaltyUsdc / detections
      : (Number(p.workerBondMinMicroUsdc) * Number(p.slashFraction.num)) /
        Number(p.slashFraction.den) /
        1e6;
  const o = sim.scenario.oracles;
  const r = colludingShare(o.count, o.colluding, p.auditCommitteeSize, p.auditQuorum);
  const policy = sealedAuditOf(p);
  const a = sealed.lazyTargetSealed
    ? targetedAuditableShare(policy, sealed.teeFailureRate)
    : auditableShare({
        share: sealed.share,
        policy,
        auditOptInShare: sealed.auditOptInShare,
        teeFailureRate: sealed.teeFailureRate,
      });
  const rate = Number(p.auditSampleRate.num) / Number(p.auditSampleRate.den);
  const saving = sim.scenario.adversaries.lazyWorkers.savingUsdcPerFakedJob;
  return {
    sealedJobs: sim.sealedCounts.submitted,
    sealedAuditsOpened: sim.sealedCounts.audited,
    deterrenceMargin: round6(saving === 0 ? 0 : (rate * (1 - r) * a * perDetectionUsdc) / saving),
  };
}
