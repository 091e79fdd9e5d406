import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../sim/io/writeFileAtomic.ts';
import { runCharts } from './charts/runCharts.ts';
import { runReportHtml } from './html/runReportHtml.ts';
import { rasterise } from './plot/rasterise.ts';
import type { Chart } from './plot/renderPlot.ts';
import { readRunDir } from './readRunDir.ts';
import { sweepReport } from './sweepReport.ts';

export interface WriteReportParameters {
  /** A run folder (summary.json, metrics.csv) or a sweep folder (sweep.json, aggregate.json). */
  dir: string;
  /** Rasterise every chart to PNG too (default true). */
  png?: boolean;
  /** A sweep folder: the two cells shown side by side (default: the first and the last). */
  compare?: readonly [number, number];
}

export interface WriteReportReturnType {
  kind: 'run' | 'sweep';
  html: string;
  charts: string[];
}

/** Writes <dir>/report.html (self-contained) and <dir>/charts/<name>.{svg,png}. Throws ReportInputError on a bad folder. */
export function writeReport(p: WriteReportParameters): WriteReportReturnType {
  const kind = existsSync(join(p.dir, 'sweep.json')) ? 'sweep' : 'run';
  let charts: Chart[];
  let html: string;
  if (kind === 'sweep') ({ charts, html } = sweepReport(p.dir, { compare: p.compare }));
  else {
    const data = readRunDir(p.dir);
    charts = runCharts(data);
    html = runReportHtml(data, charts);
  }
  const chartsDir = join(p.dir, 'charts');
  mkdirSync(chartsDir, { recursive: true });
  for (const c of charts) {
    writeFileAtomic(join(chartsDir, `${c.name}.svg`), c.svg);
    if (p.png !== false) writeFileAtomic(join(chartsDir, `${c.name}.png`), rasterise(c.svg));
  }
  const path = join(p.dir, 'report.html');
  writeFileAtomic(path, html);
  return { kind, html: path, charts: charts.map((c) => c.name) };
}
