import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecords, sixSignificant } from '../io/csv.ts';
import { writeFileAtomic } from '../io/writeFileAtomic.ts';
import type { CellInfo, SweepAggregate } from './aggregateSweep.ts';
import { runMetrics, SweepAggregator } from './aggregateSweep.ts';
import { AtomicWriter, readLines } from './runsFile.ts';
import type { SweepRunResult } from './runTask.ts';
import type { SweepSpec } from './sweepStore.ts';

/** One row of runs.csv and runs.json: grid values, status, metrics, and 1/0 per expectation. */
export function runRow(cells: readonly CellInfo[], r: SweepRunResult): Record<string, unknown> {
  return {
    cell: r.cell,
    seed: r.seed,
    ...cells[r.cell]!.assignments,
    status: r.status,
    finalStateHash: r.finalStateHash,
    ...runMetrics(r),
    ...Object.fromEntries(r.expectations.map((e) => [`pass: ${e.label}`, e.pass ? 1 : 0])),
  };
}

/**
 * One element of `JSON.stringify(rows, null, 1)`, written one row at a time: the element's own
 * text indented one more level. The same bytes as stringifying the whole array, without holding it.
 */
export const jsonArrayElement = (row: unknown): string =>
  ` ${JSON.stringify(row, null, 1).replaceAll('\n', '\n ')}`;

/** Parsed runs of a canonical runs file, in file order. */
function* runsOf(path: string): Generator<SweepRunResult> {
  if (!existsSync(path)) return;
  for (const line of readLines(path))
    if (line.text.trim() !== '') yield JSON.parse(line.text) as SweepRunResult;
}

export interface WriteSweepOutputsParameters {
  dir: string;
  spec: Pick<SweepSpec, 'scenario' | 'days' | 'seeds' | 'grid'>;
  cells: readonly CellInfo[];
}

/**
 * The outputs of a sweep built as its runs go by in canonical order (`add`), then written
 * (`write`): aggregate.json from the aggregate, runs.csv and runs.json from a pass over the
 * folder's runs.jsonl (the CSV header is the union of every row's columns, known only at the
 * end). Each file written whole (temp file, then rename); memory is the aggregate's, not the runs'.
 */
export class SweepOutputs {
  private readonly aggregator: SweepAggregator;
  private readonly columns = new Set<string>();

  constructor(private readonly p: Omit<WriteSweepOutputsParameters, 'dir'>) {
    this.aggregator = new SweepAggregator(p.spec, p.cells);
  }

  add(r: SweepRunResult): void {
    this.aggregator.add(r);
    for (const c of Object.keys(runRow(this.p.cells, r))) this.columns.add(c);
  }

  /** Writes runs.csv, runs.json (from dir/runs.jsonl, which must hold the runs added) and aggregate.json. */
  write(dir: string): SweepAggregate {
    const aggregate = this.aggregator.finish();
    const header = [...this.columns];
    const csv = new AtomicWriter(join(dir, 'runs.csv'));
    const json = new AtomicWriter(join(dir, 'runs.json'));
    try {
      csv.write(csvRecords([header], { number: sixSignificant }));
      let first = true;
      for (const r of runsOf(join(dir, 'runs.jsonl'))) {
        const row = runRow(this.p.cells, r);
        csv.write(csvRecords([header.map((c) => row[c] ?? '')], { number: sixSignificant }));
        json.write(`${first ? '[\n' : ',\n'}${jsonArrayElement(row)}`);
        first = false;
      }
      json.write(first ? '[]\n' : '\n]\n');
      csv.commit();
      json.commit();
    } finally {
      csv.abort();
      json.abort();
    }
    writeFileAtomic(join(dir, 'aggregate.json'), `${JSON.stringify(aggregate, null, 1)}\n`);
    return aggregate;
  }
}

/**
 * runs.csv, runs.json and aggregate.json from the folder's runs.jsonl, which must be in canonical
 * order (canonicalizeRunsFile): two passes over the file.
 */
export function writeSweepOutputs(p: WriteSweepOutputsParameters): SweepAggregate {
  const outputs = new SweepOutputs(p);
  for (const r of runsOf(join(p.dir, 'runs.jsonl'))) outputs.add(r);
  return outputs.write(p.dir);
}
