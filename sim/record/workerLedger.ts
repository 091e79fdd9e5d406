import { csvRecords, sixSignificant } from '../io/csv.ts';
import type { WorkerAgent } from '../network/population.ts';

/** One worker's run, as workers.csv holds it: what the report's income chart reads. */
export interface WorkerRow {
  worker: string;
  operator: string;
  region: string;
  honest: boolean;
  left: boolean;
  capacityCuPerSec: number;
  incomeUsdcPerDay: number;
  costUsdcPerDay: number;
}

/** A worker's line in the run record: its workers.csv row and what its adversary settings did. */
export interface LedgerRow extends WorkerRow {
  /** Fakes a share of its results (an adversary). */
  lazy: boolean;
  /** Its heartbeats go on and off (an adversary). */
  flapping: boolean;
  /** Added from a measured capacity profile (`--workers-from`). */
  fromProfile: boolean;
  fakedJobs: number;
  /** Confirmed mismatches against it, and what they cost it (slash + withheld). */
  detections: number;
  penaltyMicroUsdc: bigint;
}

export const workerColumns: ReadonlyArray<keyof WorkerRow> = [
  'worker',
  'operator',
  'region',
  'honest',
  'left',
  'capacityCuPerSec',
  'incomeUsdcPerDay',
  'costUsdcPerDay',
];

/**
 * The one definition of an honest worker: no adversary behaviour configured, neither faking
 * results (lazy) nor flapping. Every "honest" number in a run reads `LedgerRow.honest`, so the
 * headline's honest income and the derived income-over-cost describe the same workers.
 */
export const isHonestWorker = (w: Pick<WorkerAgent, 'fakeShare' | 'flapping'>): boolean =>
  w.fakeShare === 0 && !w.flapping;

/** Income and cost a day of every worker over `days` simulated days. */
export function workerLedger(workers: readonly WorkerAgent[], days: number): LedgerRow[] {
  return workers.map((w) => ({
    worker: w.address,
    operator: w.operator,
    region: w.region,
    honest: isHonestWorker(w),
    left: w.left,
    capacityCuPerSec: Math.round(w.capacityCuPerSec),
    incomeUsdcPerDay: Number(w.incomeTotalMicroUsdc) / 1e6 / days,
    costUsdcPerDay: Number(w.costMicroUsdcPerDay) / 1e6,
    lazy: w.fakeShare > 0,
    flapping: w.flapping,
    fromProfile: w.fromProfile,
    fakedJobs: w.fakedJobs,
    detections: w.detections,
    penaltyMicroUsdc: w.penaltyMicroUsdc,
  }));
}

/** workers.csv: the WorkerRow columns of each row, in order. */
export function workersCsv(rows: readonly WorkerRow[]): string {
  return csvRecords([workerColumns, ...rows.map((r) => workerColumns.map((c) => r[c]))], {
    number: sixSignificant,
  });
}
