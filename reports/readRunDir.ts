import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../protocol/errors.ts';
import { readCsv } from '../sim/io/csv.ts';

export type Row = Record<string, number | string>;

/** What a report reads from a run folder (never live state). */
export interface RunData {
  summary: Record<string, unknown> & { headline: Record<string, number | string> };
  metrics: Row[];
  workers: Row[];
}

/** A folder that is not a run or sweep folder, or one of its files that cannot be read (exit 2, field `dir`). */
export class ReportInputError extends InputError {
  override name = 'ReportInputError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`, 'dir');
  }
}

export function readRunDir(dir: string): RunData {
  const summaryPath = join(dir, 'summary.json');
  if (!existsSync(summaryPath))
    throw new ReportInputError(
      summaryPath,
      'missing (not a run folder: expected summary.json and metrics.csv)',
    );
  let summary: RunData['summary'];
  try {
    summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
  } catch (e) {
    throw new ReportInputError(summaryPath, `not JSON (${(e as Error).message})`);
  }
  if (typeof summary?.headline !== 'object')
    throw new ReportInputError(summaryPath, 'has no headline object');
  const csv = (f: string) =>
    existsSync(join(dir, f)) ? readCsv(readFileSync(join(dir, f), 'utf8')) : [];
  return { summary, metrics: csv('metrics.csv'), workers: csv('workers.csv') };
}
