import { mean, quantile } from '../expectations/quantile.ts';
import { round6 } from '../record/round6.ts';
import type { Cell } from './buildCells.ts';
import type { GridValue } from './parseGrid.ts';
import type { SweepRunResult } from './runTask.ts';
import type { SweepSpec } from './sweepStore.ts';

export interface Spread {
  p5: number;
  p50: number;
  p95: number;
  mean: number;
}
export interface FanPoint {
  day: number;
  p5: number;
  p50: number;
  p95: number;
}

export interface SweepAggregate {
  scenario: string;
  days: number;
  seeds: number;
  runs: number;
  cells: Array<{
    index: number;
    assignments: Record<string, GridValue>;
    runs: number;
    incomplete: number;
    expectationFailure: Record<string, number>;
    metrics: Record<string, Spread>;
  }>;
  /** Over every run: how often each expectation failed. */
  expectationFailure: Record<string, { failed: number; runs: number; probability: number }>;
  /** Per cell and metrics column: p5/p50/p95 over seeds of each day's value. */
  fans: Array<{ cell: number; column: string; points: FanPoint[] }>;
  /** Per swept key (2+ values) and metric: the mean at each value, and the spread of those means. */
  sensitivity: Array<{
    key: string;
    metric: string;
    byValue: Array<{ value: GridValue; mean: number }>;
    effect: number;
    relativeEffect: number | null;
  }>;
}

const spread = (v: number[]): Spread => ({
  p5: round6(quantile(v, 0.05)),
  p50: round6(quantile(v, 0.5)),
  p95: round6(quantile(v, 0.95)),
  mean: round6(mean(v)),
});

/** Numeric headline and derived metrics of a run, by name. */
export function runMetrics(r: SweepRunResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries({ ...r.headline, ...r.derived }))
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

function fans(cellIndex: number, runs: SweepRunResult[], days: number): SweepAggregate['fans'] {
  const columns = runs.length === 0 ? [] : Object.keys(runs[0]!.daily);
  return columns.map((column) => ({
    cell: cellIndex,
    column,
    points: Array.from({ length: days }, (_, day) => {
      const v = runs.map((r) => r.daily[column]?.[day]).filter((x): x is number => x !== undefined);
      return {
        day: day + 1,
        p5: round6(quantile(v, 0.05)),
        p50: round6(quantile(v, 0.5)),
        p95: round6(quantile(v, 0.95)),
      };
    }).filter((p) => Number.isFinite(p.p50)),
  }));
}

function sensitivity(
  spec: SweepSpec,
  cells: Cell[],
  byCell: Map<number, SweepRunResult[]>,
): SweepAggregate['sensitivity'] {
  const out: SweepAggregate['sensitivity'] = [];
  const all = [...byCell.values()].flat();
  const metrics = all.length === 0 ? [] : Object.keys(runMetrics(all[0]!));
  for (const axis of spec.grid.filter((a) => a.values.length > 1)) {
    for (const metric of metrics) {
      const byValue = axis.values.map((value) => {
        const v = cells
          .filter((c) => JSON.stringify(c.assignments[axis.key]) === JSON.stringify(value))
          .flatMap((c) => byCell.get(c.index) ?? [])
          .map((r) => runMetrics(r)[metric])
          .filter((x): x is number => x !== undefined);
        return { value, mean: round6(mean(v)) };
      });
      const means = byValue.map((b) => b.mean).filter(Number.isFinite);
      if (means.length < 2) continue;
      const effect = round6(Math.max(...means) - Math.min(...means));
      const overall = mean(means);
      out.push({
        key: axis.key,
        metric,
        byValue,
        effect,
        relativeEffect: overall === 0 ? null : round6(effect / Math.abs(overall)),
      });
    }
  }
  return out;
}

/** Aggregates in (cell, seed) order: the same finished runs give the same bytes however threads interleaved. */
export function aggregateSweep(
  spec: SweepSpec,
  cells: Cell[],
  results: SweepRunResult[],
): SweepAggregate {
  const sorted = [...results].sort((a, b) => a.cell - b.cell || a.seed - b.seed);
  const byCell = new Map<number, SweepRunResult[]>(cells.map((c) => [c.index, []]));
  for (const r of sorted) byCell.get(r.cell)?.push(r);
  const labels = [...new Set(sorted.flatMap((r) => r.expectations.map((e) => e.label)))];
  const failRate = (runs: SweepRunResult[], label: string) => {
    const relevant = runs.filter((r) => r.expectations.some((e) => e.label === label));
    const failed = relevant.filter((r) =>
      r.expectations.some((e) => e.label === label && !e.pass),
    ).length;
    return {
      failed,
      runs: relevant.length,
      probability: relevant.length === 0 ? 0 : round6(failed / relevant.length),
    };
  };
  return {
    scenario: spec.scenario,
    days: spec.days,
    seeds: spec.seeds.length,
    runs: sorted.length,
    cells: cells.map((c) => {
      const runs = byCell.get(c.index)!;
      const names = runs.length === 0 ? [] : Object.keys(runMetrics(runs[0]!));
      return {
        index: c.index,
        assignments: c.assignments,
        runs: runs.length,
        incomplete: runs.filter((r) => r.status !== 'completed').length,
        expectationFailure: Object.fromEntries(
          labels.map((l) => [l, failRate(runs, l).probability]),
        ),
        metrics: Object.fromEntries(
          names.map((m) => [
            m,
            spread(runs.map((r) => runMetrics(r)[m]).filter((x): x is number => x !== undefined)),
          ]),
        ),
      };
    }),
    expectationFailure: Object.fromEntries(labels.map((l) => [l, failRate(sorted, l)])),
    fans: cells.flatMap((c) => fans(c.index, byCell.get(c.index)!, spec.days)),
    sensitivity: sensitivity(spec, cells, byCell),
  };
}
