import { mean, quantile } from '../expectations/quantile.ts';
import { round6 } from '../record/round6.ts';
import type { Cell } from './buildCells.ts';
import type { GridValue } from './parseGrid.ts';
import { type CellIntervals, type CellRisk, cellIntervals, cellRisk } from './riskFigures.ts';
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
    /** Share of this cell's runs in which at least one expectation failed. */
    anyExpectationFailure: number;
    metrics: Record<string, Spread>;
    /** Value-at-risk figures over this cell's seeds, with intervals (sim/sweep/riskFigures.ts). */
    risk: CellRisk;
    /** Every metric's p5 and p95 over seeds with a 95 % interval. */
    intervals: CellIntervals;
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

/** A cell as the aggregate names it: its index and grid values. */
export type CellInfo = Pick<Cell, 'index' | 'assignments'>;
type AggregateSpec = Pick<SweepSpec, 'scenario' | 'days' | 'seeds' | 'grid'>;
type Counts = { failed: number; runs: number };
type CellEntry = Omit<
  SweepAggregate['cells'][number],
  'expectationFailure' | 'anyExpectationFailure'
> & {
  anyFailed: number;
  labelCounts: Map<string, Counts>;
};

/** The runs of one cell, reduced to the numbers its spreads and fans need. */
class CellNumbers {
  runs = 0;
  incomplete = 0;
  anyFailed = 0;
  readonly labelCounts = new Map<string, Counts>();
  metricNames: string[] | null = null;
  metricValues: number[][] = [];
  fanColumns: string[] | null = null;
  /** [column][day] → the day's values over this cell's runs, in seed order. */
  fanValues: number[][][] = [];

  constructor(
    readonly cell: CellInfo,
    readonly days: number,
  ) {}

  add(r: SweepRunResult, metrics: Record<string, number>): void {
    this.runs += 1;
    if (r.status !== 'completed') this.incomplete += 1;
    if (r.expectations.some((e) => !e.pass)) this.anyFailed += 1;
    for (const label of new Set(r.expectations.map((e) => e.label))) {
      const c = this.labelCounts.get(label) ?? { failed: 0, runs: 0 };
      c.runs += 1;
      if (r.expectations.some((e) => e.label === label && !e.pass)) c.failed += 1;
      this.labelCounts.set(label, c);
    }
    if (this.metricNames === null) {
      this.metricNames = Object.keys(metrics);
      this.metricValues = this.metricNames.map(() => []);
    }
    this.metricNames.forEach((m, k) => {
      const v = metrics[m];
      if (v !== undefined) this.metricValues[k]!.push(v);
    });
    if (this.fanColumns === null) {
      this.fanColumns = Object.keys(r.daily);
      this.fanValues = this.fanColumns.map(() => Array.from({ length: this.days }, () => []));
    }
    this.fanColumns.forEach((column, k) => {
      const byDay = this.fanValues[k]!;
      for (let day = 0; day < this.days; day++) {
        const v = r.daily[column]?.[day];
        if (v !== undefined) byDay[day]!.push(v);
      }
    });
  }

  entry(): CellEntry {
    return {
      index: this.cell.index,
      assignments: this.cell.assignments,
      runs: this.runs,
      incomplete: this.incomplete,
      anyFailed: this.anyFailed,
      labelCounts: this.labelCounts,
      metrics: Object.fromEntries(
        (this.metricNames ?? []).map((m, k) => [m, spread(this.metricValues[k] ?? [])]),
      ),
      ...this.risk(),
    };
  }

  private risk(): Pick<CellEntry, 'risk' | 'intervals'> {
    const names = this.metricNames ?? [];
    const values = names.map((m, k) => [m, this.metricValues[k] ?? []] as const);
    return {
      risk: cellRisk((m) => this.metricValues[names.indexOf(m)]),
      intervals: cellIntervals(values),
    };
  }

  fans(): SweepAggregate['fans'] {
    return (this.fanColumns ?? []).map((column, k) => ({
      cell: this.cell.index,
      column,
      points: (this.fanValues[k] ?? [])
        .map((v, day) => ({
          day: day + 1,
          p5: round6(quantile(v, 0.05)),
          p50: round6(quantile(v, 0.5)),
          p95: round6(quantile(v, 0.95)),
        }))
        .filter((p) => Number.isFinite(p.p50)),
    }));
  }
}

/** Per swept key (2+ values), value and metric: the running sum and count, in canonical order. */
class Sensitivity {
  private metrics: string[] | null = null;
  private readonly axes: Array<{ key: string; values: GridValue[] }>;
  /** [axis][value][metric] */
  private readonly sums: Array<Array<Array<{ sum: number; n: number }>>>;
  /** [cell][axis] → the value indexes the cell matches. */
  private readonly matches: number[][][];

  constructor(spec: AggregateSpec, cells: readonly CellInfo[]) {
    this.axes = spec.grid.filter((a) => a.values.length > 1);
    this.sums = this.axes.map((a) => a.values.map(() => []));
    const byIndex = new Map(cells.map((c) => [c.index, c]));
    const maxIndex = cells.reduce((m, c) => Math.max(m, c.index), -1);
    this.matches = Array.from({ length: maxIndex + 1 }, (_, i) =>
      this.axes.map((a) =>
        a.values.flatMap((value, v) => {
          const cell = byIndex.get(i);
          const same = JSON.stringify(cell?.assignments[a.key]) === JSON.stringify(value);
          return cell !== undefined && same ? [v] : [];
        }),
      ),
    );
  }

  add(cell: number, metrics: Record<string, number>): void {
    if (this.metrics === null) {
      const names = Object.keys(metrics);
      this.metrics = names;
      for (const byValue of this.sums)
        for (let v = 0; v < byValue.length; v++) byValue[v] = names.map(() => ({ sum: 0, n: 0 }));
    }
    const names = this.metrics;
    this.axes.forEach((_, a) => {
      for (const v of this.matches[cell]?.[a] ?? []) {
        const acc = this.sums[a]![v]!;
        names.forEach((m, k) => {
          const x = metrics[m];
          if (x === undefined) return;
          const s = acc[k]!;
          s.sum += x;
          s.n += 1;
        });
      }
    });
  }

  result(): SweepAggregate['sensitivity'] {
    const out: SweepAggregate['sensitivity'] = [];
    this.axes.forEach((axis, a) => {
      (this.metrics ?? []).forEach((metric, k) => {
        const byValue = axis.values.map((value, v) => {
          const s = this.sums[a]![v]![k];
          return { value, mean: round6(s === undefined || s.n === 0 ? Number.NaN : s.sum / s.n) };
        });
        const means = byValue.map((b) => b.mean).filter(Number.isFinite);
        if (means.length < 2) return;
        const effect = round6(Math.max(...means) - Math.min(...means));
        const overall = mean(means);
        out.push({
          key: axis.key,
          metric,
          byValue,
          effect,
          relativeEffect: overall === 0 ? null : round6(effect / Math.abs(overall)),
        });
      });
    });
    return out;
  }
}

/**
 * Aggregates runs fed one at a time in canonical order (cell, then seed ascending). Memory is the
 * aggregate plus the numbers of the cell being read (seeds × (metrics + columns × days)), never
 * the runs themselves, so a merge of any number of shards stays small. The same runs give the
 * same bytes whichever machine or thread ran them.
 */
export class SweepAggregator {
  private readonly cells: CellInfo[];
  private readonly entries: CellEntry[] = [];
  private readonly fans: SweepAggregate['fans'] = [];
  private readonly labels = new Map<string, Counts>();
  private readonly sensitivity: Sensitivity;
  private readonly seedIndex: Map<number, number>;
  private current: CellNumbers | null = null;
  private next = 0;
  private last = -1;
  private runs = 0;

  constructor(
    private readonly spec: AggregateSpec,
    cells: readonly CellInfo[],
  ) {
    this.cells = [...cells].sort((a, b) => a.index - b.index);
    this.sensitivity = new Sensitivity(spec, this.cells);
    this.seedIndex = new Map(spec.seeds.map((s, i) => [s, i]));
  }

  /** Throws when a run comes out of canonical order or names a cell or seed the sweep lacks. */
  add(r: SweepRunResult): void {
    const j = this.seedIndex.get(r.seed);
    const key = r.cell * this.spec.seeds.length + (j ?? 0);
    if (j === undefined || !(key > this.last))
      throw new Error(`aggregate: run (cell ${r.cell}, seed ${r.seed}) out of order or unknown`);
    this.last = key;
    while (this.current === null || this.current.cell.index !== r.cell) {
      if (this.current !== null) this.close();
      const cell = this.cells[this.next++];
      if (cell === undefined)
        throw new Error(`aggregate: run names cell ${r.cell}, not in the grid`);
      this.current = new CellNumbers(cell, this.spec.days);
    }
    const metrics = runMetrics(r);
    this.current.add(r, metrics);
    this.sensitivity.add(r.cell, metrics);
    for (const label of new Set(r.expectations.map((e) => e.label)))
      if (!this.labels.has(label)) this.labels.set(label, { failed: 0, runs: 0 });
    this.runs += 1;
  }

  finish(): SweepAggregate {
    if (this.current !== null) this.close();
    while (this.next < this.cells.length) {
      this.current = new CellNumbers(this.cells[this.next++]!, this.spec.days);
      this.close();
    }
    const labels = [...this.labels.keys()];
    const rate = (c: Counts | undefined) =>
      c === undefined || c.runs === 0 ? 0 : round6(c.failed / c.runs);
    for (const e of this.entries)
      for (const [label, c] of e.labelCounts) {
        const t = this.labels.get(label)!;
        t.failed += c.failed;
        t.runs += c.runs;
      }
    return {
      scenario: this.spec.scenario,
      days: this.spec.days,
      seeds: this.spec.seeds.length,
      runs: this.runs,
      cells: this.entries.map(({ labelCounts, anyFailed, ...e }) => ({
        index: e.index,
        assignments: e.assignments,
        runs: e.runs,
        incomplete: e.incomplete,
        expectationFailure: Object.fromEntries(labels.map((l) => [l, rate(labelCounts.get(l))])),
        anyExpectationFailure: rate({ failed: anyFailed, runs: e.runs }),
        metrics: e.metrics,
        risk: e.risk,
        intervals: e.intervals,
      })),
      expectationFailure: Object.fromEntries(
        labels.map((l) => {
          const t = this.labels.get(l)!;
          return [l, { failed: t.failed, runs: t.runs, probability: rate(t) }];
        }),
      ),
      fans: this.fans,
      sensitivity: this.sensitivity.result(),
    };
  }

  private close(): void {
    const c = this.current!;
    this.entries.push(c.entry());
    this.fans.push(...c.fans());
    this.current = null;
  }
}

/** Aggregates finished runs in any order (sorted here into canonical order first). */
export function aggregateSweep(
  spec: AggregateSpec,
  cells: readonly CellInfo[],
  results: readonly SweepRunResult[],
): SweepAggregate {
  const agg = new SweepAggregator(spec, cells);
  for (const r of [...results].sort((a, b) => a.cell - b.cell || a.seed - b.seed)) agg.add(r);
  return agg.finish();
}
