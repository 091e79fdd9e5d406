import type { MetricsRow } from '../metrics/metricsCollector.ts';
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
  /** null when the metric does not exist or the series has no rows: the check fails. */
  actual: number | null;
  pass: boolean;
  note?: string;
}

export interface EvaluateExpectationsParameters {
  expectations: readonly Expectation[];
  headline: Record<string, number | string>;
  derived: Record<string, number>;
  metrics: readonly MetricsRow[];
}

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
  const picked = rows.filter((r) => r.day >= from);
  if (rows.length > 0 && !(e.series in rows[0]!))
    return { actual: null, note: `unknown metrics column ${JSON.stringify(e.series)}` };
  const values = picked
    .map((r) => (r as unknown as Record<string, number>)[e.series]!)
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

/** Checks each expectation against a finished run; never throws (an unknown metric fails with a note). */
export function evaluateExpectations(p: EvaluateExpectationsParameters): ExpectationResult[] {
  return p.expectations.map((e) => {
    let subject: string;
    let got: { actual: number | null; note?: string };
    if ('metric' in e) {
      subject = e.metric;
      const v = e.metric in p.derived ? p.derived[e.metric] : p.headline[e.metric];
      got =
        typeof v === 'number'
          ? { actual: v }
          : { actual: null, note: `unknown metric ${JSON.stringify(e.metric)}` };
    } else {
      subject = `${e.stat} of ${e.series}${e.fromDay ? ` from day ${e.fromDay}` : ''}`;
      got = reduceSeries(e, p.metrics);
    }
    const pass = got.actual !== null && compare(got.actual, e.op, e.value);
    return {
      label: e.label,
      subject,
      op: e.op,
      value: e.value,
      actual: got.actual,
      pass,
      ...(got.note ? { note: got.note } : {}),
    };
  });
}
