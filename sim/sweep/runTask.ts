import { analyseRun } from '../expectations/analyseRun.ts';
import { runSimulation } from '../run/runSimulation.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import { dailySeries } from './dailySeries.ts';

export interface SweepTask {
  cell: number;
  seed: number;
  days: number;
  commit: string;
  scenario: Scenario;
}

/** One finished run of a sweep: a line of runs.jsonl. No timings, so it is the same on any machine. */
export interface SweepRunResult {
  cell: number;
  seed: number;
  status: string;
  finalStateHash: string;
  headline: Record<string, number | string>;
  derived: Record<string, number>;
  expectations: Array<{ label: string; pass: boolean; actual: number | null }>;
  daily: Record<string, number[]>;
}

/** Runs one (cell, seed): the work a pool thread does. */
export async function runTask(t: SweepTask): Promise<SweepRunResult> {
  const r = await runSimulation({
    scenario: t.scenario,
    seed: t.seed,
    days: t.days,
    commit: t.commit,
  });
  const a = analyseRun(r);
  return {
    cell: t.cell,
    seed: t.seed,
    status: r.summary.status,
    finalStateHash: r.summary.finalStateHash,
    headline: r.summary.headline,
    derived: a.derived,
    expectations: a.expectations.map((e) => ({ label: e.label, pass: e.pass, actual: e.actual })),
    daily: dailySeries(r.metrics, r.sim.params.dayMs),
  };
}

export default runTask;
