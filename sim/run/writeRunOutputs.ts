import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/writeFileAtomic.ts';
import { type MetricsRow, metricsCsv } from '../metrics/metricsCollector.ts';
import type { RunSummary } from './summary.ts';

/** summary.json and metrics.csv of one run (the trace is streamed separately). */
export function writeRunOutputs(dir: string, summary: RunSummary, metrics: MetricsRow[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileAtomic(join(dir, 'metrics.csv'), metricsCsv(metrics));
}
