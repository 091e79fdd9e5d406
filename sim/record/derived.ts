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
  };
}
