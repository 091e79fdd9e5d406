import { z } from 'zod';
import { metricsColumns } from '../metrics/metricsCollector.ts';
import { recordMetrics } from '../record/fields.ts';
import { unknownKeyMessage } from '../validate/closestKey.ts';

export const comparisonOps = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ComparisonOp = (typeof comparisonOps)[number];

/** How a metrics.csv column over the run becomes one number. */
export const seriesStats = ['max', 'min', 'mean', 'first', 'last', 'p50', 'p95'] as const;
export type SeriesStat = (typeof seriesStats)[number];

/** One of `names`; anything else fails when the scenario loads, naming the closest name. */
const nameOf = <const T extends readonly [string, ...string[]]>(what: string, names: T) =>
  z.enum(names, {
    error: (issue) =>
      typeof issue.input === 'string'
        ? unknownKeyMessage(what, issue.input, names)
        : `expected a ${what} name (a string)`,
  });

const checked = {
  op: z.enum(comparisonOps),
  value: z.number(),
  /** What a reader sees in the pass/fail table, e.g. "treasury never below 0". */
  label: z.string().min(1),
  /**
   * A question the scenario asks rather than a requirement it states (`baseline`: do ONE's
   * defaults pay workers?). Evaluated and reported the same way (YES/NO instead of PASS/FAIL)
   * and counted in sweeps' failure probabilities, but a NO does not make `onesim run` exit 1.
   */
  question: z.boolean().optional(),
};

/** A headline or derived run metric (summary.json `headline` / `derived`) against a bound. */
export const metricExpectationSchema = z.object({
  metric: nameOf('metric', recordMetrics),
  ...checked,
});

/** A metrics.csv column reduced over time (optionally from a day on), against a bound. */
export const seriesExpectationSchema = z.object({
  series: nameOf('metrics column', metricsColumns),
  stat: z.enum(seriesStats),
  /** Ignore rows before this day (warm-up); default 0. */
  fromDay: z.number().int().nonnegative().optional(),
  ...checked,
});

export const expectationSchema = z.union([metricExpectationSchema, seriesExpectationSchema]);
export type Expectation = z.output<typeof expectationSchema>;
export type SeriesExpectation = z.output<typeof seriesExpectationSchema>;
