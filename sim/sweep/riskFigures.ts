import { quantile } from '../expectations/quantile.ts';
import type { DerivedMetric, HeadlineMetric } from '../record/fields.ts';
import { round6 } from '../record/round6.ts';

/**
 * Risk over seeds, per sweep cell, in the style of Gauntlet's value-at-risk: a bad-tail
 * percentile of each figure a protocol designer is asked about, with a distribution-free
 * confidence interval. Deterministic: the same values in any order give the same numbers.
 */

/** A percentile over seeds with the order-statistic interval that covers the true one. */
export interface QuantileEstimate {
  /** Nearest-rank percentile of the values (as `quantile`). */
  value: number;
  /** [lo, hi]: sorted values x(l) and x(u) with P(x(l) ≤ true percentile ≤ x(u)) ≥ `confidence`. */
  lo: number;
  hi: number;
  /** The coverage the interval actually has (below the asked level when there are too few seeds). */
  confidence: number;
  runs: number;
}

/** Binomial(n, q) probability mass at 0..n, computed in log space so large n does not underflow. */
function binomialPmf(n: number, q: number): number[] {
  if (q <= 0) return Array.from({ length: n + 1 }, (_, k) => (k === 0 ? 1 : 0));
  if (q >= 1) return Array.from({ length: n + 1 }, (_, k) => (k === n ? 1 : 0));
  const out: number[] = [];
  let log = n * Math.log1p(-q);
  const odds = Math.log(q) - Math.log1p(-q);
  for (let k = 0; k <= n; k++) {
    out.push(Math.exp(log));
    log += Math.log((n - k) / (k + 1)) + odds;
  }
  return out;
}

/**
 * The q-quantile of `values` and a confidence interval from order statistics: the number of
 * values below the true quantile is Binomial(n, q), so [x(l), x(u)] covers it with probability
 * P(l ≤ B ≤ u − 1). l and u are chosen to leave at most (1 − confidence)/2 in each tail.
 */
export function quantileInterval(
  values: readonly number[],
  q: number,
  confidence = 0.95,
): QuantileEstimate {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantileInterval: q must be in (0, 1), got ${q}`);
  const n = values.length;
  if (n === 0) return { value: Number.NaN, lo: Number.NaN, hi: Number.NaN, confidence: 0, runs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const pmf = binomialPmf(n, q);
  const tail = (1 - confidence) / 2;
  // cdf[k] = P(B ≤ k)
  const cdf: number[] = [];
  pmf.reduce((acc, p, k) => (cdf[k] = acc + p), 0);
  let l = 1;
  for (let k = 1; k <= n; k++) if (cdf[k - 1]! <= tail) l = k;
  let u = n;
  for (let k = n; k >= 1; k--) if (1 - cdf[k - 1]! <= tail) u = k;
  if (u < l) u = l;
  // x(l) ≤ true quantile ⇔ B ≥ l; true quantile ≤ x(u) ⇔ B ≤ u − 1
  const coverage = u > l ? cdf[u - 1]! - cdf[l - 1]! : 0;
  return {
    value: round6(quantile(sorted, q)),
    lo: round6(sorted[l - 1]!),
    hi: round6(sorted[u - 1]!),
    confidence: round6(Math.min(1, Math.max(0, coverage))),
    runs: n,
  };
}

type Metric = HeadlineMetric | DerivedMetric;

/** The risk figures of a cell: which run metric, which tail, and what it means. */
export const riskFigures = [
  {
    name: 'treasuryRunwayDaysP5',
    metric: 'treasuryRunwayDays',
    q: 0.05,
    label: 'p5 treasury runway (days)',
  },
  {
    name: 'treasuryDrawdownShareP95',
    metric: 'treasuryDrawdownShare',
    q: 0.95,
    label: 'p95 treasury drawdown',
  },
  {
    name: 'medianWorkerIncomeOverCostP5',
    metric: 'honestWorkerIncomeOverCostP50',
    q: 0.05,
    label: "p5 of the median worker's income ÷ cost",
  },
  {
    name: 'includedMissedShareP95',
    metric: 'includedMissedShare',
    q: 0.95,
    label: 'p95 share of Included jobs missed (not done within SLO)',
  },
] as const satisfies ReadonlyArray<{ name: string; metric: Metric; q: number; label: string }>;

export type RiskFigureName = (typeof riskFigures)[number]['name'];
/** A risk figure as the aggregate holds it: the estimate, and what it is (so readers need no code). */
export type RiskEstimate = QuantileEstimate & { metric: string; label: string };
export type CellRisk = Partial<Record<RiskFigureName, RiskEstimate>>;

/** Per metric, the p5 and p95 over seeds with their intervals (what findings print). */
export type CellIntervals = Record<string, { p5: QuantileEstimate; p95: QuantileEstimate }>;

/** The risk figures of one cell from its runs' metric values (metrics a run lacks are skipped). */
export function cellRisk(valuesOf: (metric: string) => readonly number[] | undefined): CellRisk {
  const out: CellRisk = {};
  for (const f of riskFigures) {
    const v = valuesOf(f.metric);
    if (v && v.length > 0)
      out[f.name] = { ...quantileInterval(v, f.q), metric: f.metric, label: f.label };
  }
  return out;
}

/** p5 and p95 with 95 % intervals of every metric of a cell, in the metrics' order. */
export function cellIntervals(
  metrics: ReadonlyArray<readonly [string, readonly number[]]>,
): CellIntervals {
  const out: CellIntervals = {};
  for (const [m, v] of metrics)
    if (v.length > 0) out[m] = { p5: quantileInterval(v, 0.05), p95: quantileInterval(v, 0.95) };
  return out;
}
