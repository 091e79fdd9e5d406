import type { MetricsRow } from '../metrics/metricsCollector.ts';
import { type RunRecord, recordMetric } from '../record/runRecord.ts';
import type {
  ComparisonOp,
  Expectation,
  SeriesExpectation,
} from '../scenario/expectationSchema.ts';
import { mean, quantile } from './quantile.ts';

export interface ExpectationResult {
  label: string;
  /** What was measured, e.g. "treasuryMinUsdc" or "max of waitIncludedMsP95 from day 1". */
  subject: string;
  op: ComparisonOp;
  value: number;
  /** null when the run has no such number (a profile metric without profile workers, no rows in range): the check fails. */
  actual: number | null;
  pass: boolean;
  /** A question the scenario asks (reported YES/NO; does not set the exit code). */
  question?: true;
  note?: string;
}

/** Whether a run's expectations fail a requirement (questions answered NO do not). */
export const failsRequirement = (
  results: readonly Pick<ExpectationResult, 'pass' | 'question'>[],
) => results.some((r) => !r.pass && !r.question);

/** What expectations read from a run record. */
export type ExpectationInputs = Pick<RunRecord, 'headline' | 'derived' | 'metrics'>;

export function compare(actual: number, op: ComparisonOp, value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
  }
}

function reduceSeries(
  e: SeriesExpectation,
  rows: readonly MetricsRow[],
): { actual: number | null; note?: string } {
  const from = e.fromDay ?? 0;
  const values = rows
    .filter((r) => r.day >= from)
    .map((r) => r[e.series])
    .filter((v) => Number.isFinite(v));
  if (values.length === 0) return { actual: null, note: 'no metrics rows in range' };
  const byStat = {
    max: () => Math.max(...values),
    min: () => Math.min(...values),
    mean: () => mean(values),
    first: () => values[0]!,
    last: () => values.at(-1)!,
    p50: () => quantile(values, 0.5),
    p95: () => quantile(values, 0.95),
  };
  return { actual: byStat[e.stat]() };
}

/**
 * Checks each expectation against a run record. Names were checked when the scenario loaded;
 * a number the run does not have fails with a note instead of throwing.
 */
export function evaluateExpectations(
  expectations: readonly Expectation[],
  record: ExpectationInputs,
): ExpectationResult[] {
  return expectations.map((e) => {
    let subject: string;
    let got: { actual: number | null; note?: string };
    if ('metric' in e) {
      subject = e.metric;
      const v = recordMetric(record, e.metric);
      got =
        v === undefined
          ? { actual: null, note: `${JSON.stringify(e.metric)} is not in this run's record` }
          : { actual: v };
    } else {
      subject = `${e.stat} of ${e.series}${e.fromDay ? ` from day ${e.fromDay}` : ''}`;
      got = reduceSeries(e, record.metrics);
    }
    const pass = got.actual !== null && compare(got.actual, e.op, e.value);
    return {
      label: e.label,
      subject,
      op: e.op,
      value: e.value,
      actual: got.actual,
      pass,
      ...(e.question ? { question: true as const } : {}),
      ...(got.note ? { note: got.note } : {}),
    };
  });
}
