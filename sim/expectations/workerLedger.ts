import type { Simulation } from '../network/simulation.ts';

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

/** Adversary agents (lazy or flapping workers) are left out of "honest workers' income ≥ cost". */
const isHonest = (w: Simulation['workers'][number]): boolean => w.fakeShare === 0 && !w.flapping;

/** Income and cost a day of every worker over the days simulated. */
export function workerLedger(sim: Simulation): WorkerRow[] {
  const days = Math.max(1, sim.engine.nowMs / sim.params.dayMs);
  return sim.workers.map((w) => ({
    worker: w.address,
    operator: w.operator,
    region: w.region,
    honest: isHonest(w),
    left: w.left,
    capacityCuPerSec: Math.round(w.capacityCuPerSec),
    incomeUsdcPerDay: Number(w.incomeTotalMicroUsdc) / 1e6 / days,
    costUsdcPerDay: Number(w.costMicroUsdcPerDay) / 1e6,
  }));
}

const cell = (v: unknown): string => {
  const s = typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function workersCsv(rows: readonly WorkerRow[]): string {
  return `${workerColumns.join(',')}\n${rows.map((r) => `${workerColumns.map((c) => cell(r[c])).join(',')}\n`).join('')}`;
}
