import type { RunSimulationReturnType } from '../run/runSimulation.ts';
import { deriveRunMetrics } from './deriveRunMetrics.ts';
import { type ExpectationResult, evaluateExpectations } from './evaluateExpectations.ts';
import { type WorkerRow, workerLedger } from './workerLedger.ts';

export interface RunAnalysis {
  derived: Record<string, number>;
  expectations: ExpectationResult[];
  workers: WorkerRow[];
  /** True when every expectation passed (vacuously with none). */
  expectationsPass: boolean;
}

/** What a run means against its scenario: derived metrics, expectation results, the worker ledger. */
export function analyseRun(r: RunSimulationReturnType): RunAnalysis {
  const workers = workerLedger(r.sim);
  const derived = deriveRunMetrics(r.sim, r.metrics, workers);
  const expectations = evaluateExpectations({
    expectations: r.sim.scenario.expectations,
    headline: r.summary.headline,
    derived,
    metrics: r.metrics,
  });
  return { derived, expectations, workers, expectationsPass: expectations.every((e) => e.pass) };
}

/** summary.json as written after analysis: the run summary plus derived metrics and expectation results. */
export type AnalysedSummary<S> = S & {
  derived: Record<string, number>;
  expectations: ExpectationResult[];
};

export function withAnalysis<S extends object>(summary: S, a: RunAnalysis): AnalysedSummary<S> {
  return { ...summary, derived: a.derived, expectations: a.expectations };
}
