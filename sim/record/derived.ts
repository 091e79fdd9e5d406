import { mean, quantile } from '../expectations/quantile.ts';
import type { MetricsRow } from '../metrics/metricsCollector.ts';
import type { Simulation } from '../network/simulation.ts';
import type { Derived } from './fields.ts';
import { round6 } from './round6.ts';
import type { LedgerRow } from './workerLedger.ts';

/** Per day: the day's allotment and what holders used of it (the day's largest sample). */
function dailyCredits(
  rows: readonly MetricsRow[],
): Array<{ day: number; issuedCu: number; usedCu: number }> {
  const byDay = new Map<number, { day: number; issuedCu: number; usedCu: number }>();
  for (const r of rows) {
    const d = byDay.get(r.day) ?? { day: r.day, issuedCu: 0, usedCu: 0 };
    d.issuedCu = Math.max(d.issuedCu, r.creditsIssuedCu);
    d.usedCu = Math.max(d.usedCu, r.creditsUsedCu);
    byDay.set(r.day, d);
  }
  return [...byDay.values()].sort((a, b) => a.day - b.day);
}

/** Runway past which a treasury counts as lasting: ten years (also the value when it does not shrink). */
export const runwayDaysCap = 3_650;

/**
 * Days the treasury lasts at the run's average net outflow (end ÷ (start − end) per day);
 * `runwayDaysCap` when it did not shrink or would outlast the cap.
 */
export function treasuryRunwayDays(startUsdc: number, endUsdc: number, days: number): number {
  const burnPerDay = (startUsdc - endUsdc) / Math.max(days, 1e-9);
  if (!(burnPerDay > 0)) return runwayDaysCap;
  return Math.min(runwayDaysCap, Math.max(0, endUsdc) / burnPerDay);
}

/** The largest fall of the treasury from its running peak, as a share of that peak (0 = never fell). */
export function treasuryDrawdownShare(startUsdc: number, series: readonly number[]): number {
  let peak = startUsdc;
  let worst = 0;
  for (const v of series) {
    if (v > peak) peak = v;
    else if (peak > 0) worst = Math.max(worst, (peak - v) / peak);
  }
  return worst;
}

/**
 * The daily allotment per T staked that the treasury's other income would pay for if holders used
 * all of it: (Dedicated fees + forfeited escrow + the take on Dedicated pay + slashes − bounties −
 * oracle fees − availability rewards) a day, over the net cost of an Included CU (price × (1 − τ),
 * the take coming back) times the eligible stake in units of T.
 */
function sustainedAllotment(sim: Simulation, eligibleStakeInT: number, days: number): number {
  const t = sim.state.totals;
  const p = sim.params;
  const tau = Number(p.takeRate.num) / Number(p.takeRate.den);
  const includedTake = Number(t.includedPaidMicroUsdc) * tau;
  const revenue =
    Number(t.feesMicroUsdc) +
    Number(t.forfeitedMicroUsdc) +
    Number(t.takeMicroUsdc) -
    includedTake +
    Number(t.slashedMicroUsdc) -
    Number(t.bountiesMicroUsdc) -
    Number(t.oracleFeesMicroUsdc) -
    Number(t.availabilityRewardsMicroUsdc);
  const costPerCu = Number(p.includedPriceMicroUsdcPerCu) * (1 - tau);
  if (eligibleStakeInT <= 0 || costPerCu <= 0 || days <= 0) return 0;
  return Math.max(0, revenue / days / costPerCu / eligibleStakeInT);
}

/**
 * Run metrics that the headline does not hold, computed from the finished simulation: the
 * income-versus-cost of honest workers (the ledger's), daily credits, nominal Dedicated load.
 */
export function derivedOf(
  sim: Simulation,
  rows: readonly MetricsRow[],
  ledger: readonly LedgerRow[],
): Derived {
  const honest = ledger.filter((w) => w.honest);
  const ratio = honest.map((w) =>
    w.costUsdcPerDay === 0 ? Number.POSITIVE_INFINITY : w.incomeUsdcPerDay / w.costUsdcPerDay,
  );
  const credits = dailyCredits(rows).filter((d) => d.day > 0 || d.issuedCu > 0);
  const issued = credits.map((d) => d.issuedCu);
  const capacity = sim.workers.reduce((a, w) => a + w.capacityCuPerSec, 0);
  const reserved =
    sim.sponsors.reduce((a, s) => a + s.rateCuPerSec, 0) * sim.scenario.sponsors.utilisation;
  const start = sim.scenario.treasuryGenesisUsdc;
  const end = Number(sim.state.treasuryMicroUsdc) / 1e6;
  const finite = (v: number) => (Number.isFinite(v) ? round6(v) : 1e9);
  const T = sim.params.stakeThresholdOneWei;
  let eligibleStakeInT = 0;
  for (const h of sim.state.holders.values())
    if (h.stakedOneWei >= T) eligibleStakeInT += Number((h.stakedOneWei * 1_000_000n) / T) / 1e6;
  const cutAt = rows.find((r) => r.sigma < 0.999);
  return {
    honestWorkers: honest.length,
    honestWorkersCoveringCostShare:
      honest.length === 0 ? 1 : round6(ratio.filter((r) => r >= 1).length / honest.length),
    honestWorkerIncomeOverCostP50: finite(quantile(ratio, 0.5)),
    honestWorkerIncomeOverCostMin: finite(Math.min(...ratio)),
    creditsIssuedCuPerDayMean: round6(issued.length === 0 ? 0 : mean(issued)),
    creditsIssuedCuPerDayMax: issued.length === 0 ? 0 : Math.max(...issued),
    creditsUsedCuPerDayMean: round6(credits.length === 0 ? 0 : mean(credits.map((d) => d.usedCu))),
    /** Credits a day per threshold's worth of eligible stake: A·σ under the linear schedule; a split-stake gain shows as more. */
    allotmentCuPerThresholdStake: round6(
      eligibleStakeInT === 0 || issued.length === 0 ? 0 : (issued.at(-1) ?? 0) / eligibleStakeInT,
    ),
    /** Whole days before σ first fell below 1 (credits cut by the treasury bound); the run's days when never. */
    daysBeforeCreditsCut: cutAt ? Math.floor((cutAt.tMs - 1) / sim.params.dayMs) : sim.options.days,
    dedicatedDemandOverCapacity: round6(capacity === 0 ? 0 : reserved / capacity),
    treasuryNetUsdc: round6(end - start),
    treasuryEndOverStart: round6(start === 0 ? 1 : end / start),
    treasuryRunwayDays: round6(treasuryRunwayDays(start, end, sim.engine.nowMs / sim.params.dayMs)),
    treasuryDrawdownShare: round6(
      treasuryDrawdownShare(
        start,
        rows.map((r) => r.treasuryUsdc),
      ),
    ),
    includedMissedShare: round6(1 - sim.metrics.goodput(0)),
    allotmentSustainedCuPerThresholdStake: round6(
      sustainedAllotment(sim, eligibleStakeInT, sim.engine.nowMs / sim.params.dayMs),
    ),
  };
}
