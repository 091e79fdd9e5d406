import { join } from 'node:path';
import { writeFileAtomic } from '../run/writeRunOutputs.ts';
import type { SweepAggregate } from './aggregateSweep.ts';
import { runMetrics } from './aggregateSweep.ts';
import type { Cell } from './buildCells.ts';
import type { SweepRunResult } from './runTask.ts';

const csvCell = (v: unknown): string => {
  const s =
    typeof v === 'number'
      ? String(Number(v.toPrecision(6)))
      : typeof v === 'string'
        ? v
        : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One row per run, in (cell, seed) order: grid values, status, metrics, and 1/0 per expectation. */
export function runsTable(
  cells: Cell[],
  results: SweepRunResult[],
): Array<Record<string, unknown>> {
  const sorted = [...results].sort((a, b) => a.cell - b.cell || a.seed - b.seed);
  return sorted.map((r) => ({
    cell: r.cell,
    seed: r.seed,
    ...cells[r.cell]!.assignments,
    status: r.status,
    finalStateHash: r.finalStateHash,
    ...runMetrics(r),
    ...Object.fromEntries(r.expectations.map((e) => [`pass: ${e.label}`, e.pass ? 1 : 0])),
  }));
}

/** runs.csv, runs.json and aggregate.json, each written whole (temp file, then rename). */
export function writeSweepOutputs(
  dir: string,
  cells: Cell[],
  results: SweepRunResult[],
  aggregate: SweepAggregate,
): void {
  const rows = runsTable(cells, results);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const csv = [
    columns.map(csvCell).join(','),
    ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(',')),
  ].join('\n');
  writeFileAtomic(join(dir, 'runs.csv'), `${csv}\n`);
  writeFileAtomic(join(dir, 'runs.json'), `${JSON.stringify(rows, null, 1)}\n`);
  writeFileAtomic(join(dir, 'aggregate.json'), `${JSON.stringify(aggregate, null, 1)}\n`);
}
