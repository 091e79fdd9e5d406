import { evaluateExpectations } from '../expectations/evaluateExpectations.ts';
import type { Derived, Headline } from '../record/fields.ts';
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
  headline: Headline;
  derived: Derived;
  expectations: Array<{ label: string; pass: boolean; actual: number | null }>;
  daily: Record<string, number[]>;
}

/** Runs one (cell, seed): the work a pool thread does; the result is read from the run record. */
export async function runTask(t: SweepTask): Promise<SweepRunResult> {
  const record = await runSimulation({
    scenario: t.scenario,
    seed: t.seed,
    days: t.days,
    commit: t.commit,
  });
  const expectations = evaluateExpectations(record.scenario.expectations, record);
  return {
    cell: t.cell,
    seed: t.seed,
    status: record.status,
    finalStateHash: record.finalStateHash,
    headline: record.headline,
    derived: record.derived,
    expectations: expectations.map((e) => ({ label: e.label, pass: e.pass, actual: e.actual })),
    daily: dailySeries(record.metrics, record.params.dayMs),
  };
}

export default runTask;
