import { toJsonData } from '../../protocol/actionSchema.ts';
import type { Hex } from '../../protocol/index.ts';
import {
  type ExpectationResult,
  evaluateExpectations,
} from '../expectations/evaluateExpectations.ts';
import type { StoppedOnViolation } from '../network/simulation.ts';
import type { Derived, Headline } from '../record/fields.ts';
import type { RunRecord, RunStatus } from '../record/runRecord.ts';

/** summary.json: a run record's identity, counters, metrics and expectation results as JSON. */
export interface RunSummary {
  scenario: string;
  question: string;
  /** What the scenario's author measured about it (failure probabilities over seeds), when given. */
  description?: string;
  seed: string;
  days: number;
  commit: string;
  status: RunStatus;
  /** The resolved protocol parameters, bigints as decimal strings. */
  params: unknown;
  scenarioResolved: unknown;
  finalStateHash: Hex;
  dayHashes?: Hex[];
  invariants: { checks: number; violation: StoppedOnViolation | null };
  actionsApplied: number;
  rejections: Record<string, number>;
  headline: Headline;
  derived: Derived;
  expectations: ExpectationResult[];
}

/** The summary of a run record, with its scenario's expectations checked. */
export function summaryOf(r: RunRecord): RunSummary {
  return {
    scenario: r.scenario.name,
    question: r.scenario.question,
    ...(r.scenario.description ? { description: r.scenario.description } : {}),
    seed: r.seed,
    days: r.days,
    commit: r.commit,
    status: r.status,
    params: toJsonData(r.params),
    scenarioResolved: toJsonData(r.scenario),
    finalStateHash: r.finalStateHash,
    ...(r.dayHashes ? { dayHashes: r.dayHashes } : {}),
    invariants: r.invariants,
    actionsApplied: r.counters.actionsApplied,
    rejections: r.counters.rejections,
    headline: r.headline,
    derived: r.derived,
    expectations: evaluateExpectations(r.scenario.expectations, r),
  };
}
