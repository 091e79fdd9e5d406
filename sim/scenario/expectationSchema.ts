import { z } from 'zod';

export const comparisonOps = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ComparisonOp = (typeof comparisonOps)[number];

/** How a metrics.csv column over the run becomes one number. */
export const seriesStats = ['max', 'min', 'mean', 'first', 'last', 'p50', 'p95'] as const;
export type SeriesStat = (typeof seriesStats)[number];

const checked = {
  op: z.enum(comparisonOps),
  value: z.number(),
  /** What a reader sees in the pass/fail table, e.g. "treasury never below 0". */
  label: z.string().min(1),
};

/** A headline or derived run metric (summary.json `headline` / `derived`) against a bound. */
export const metricExpectationSchema = z.strictObject({ metric: z.string().min(1), ...checked });

/** A metrics.csv column reduced over time (optionally from a day on), against a bound. */
export const seriesExpectationSchema = z.strictObject({
  series: z.string().min(1),
  stat: z.enum(seriesStats),
  /** Ignore rows before this day (warm-up); default 0. */
  fromDay: z.number().int().nonnegative().optional(),
  ...checked,
});

export const expectationSchema = z.union([metricExpectationSchema, seriesExpectationSchema]);
export type Expectation = z.output<typeof expectationSchema>;
export type SeriesExpectation = z.output<typeof seriesExpectationSchema>;
