import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepAggregate } from '../sim/sweep/aggregateSweep.ts';
import type { SweepSpec } from '../sim/sweep/sweepStore.ts';
import { fanChart, heatmapChart } from './charts/sweepCharts.ts';
import { escapeHtml, formatNumber } from './format.ts';
import { chartFigure, htmlPage, htmlTable } from './html/htmlPage.ts';
import { formatMetric } from './html/runReportHtml.ts';
import type { Chart } from './plot/renderPlot.ts';
import { ReportInputError } from './readRunDir.ts';

const fanColumns = [
  'treasuryUsdc',
  'sigma',
  'waitIncludedMsP95',
  'waitDedicatedMsP95',
  'utilisation',
  'creditsUsedCu',
];
const heatMetrics = [
  'treasuryEndUsdc',
  'sigmaMin',
  'waitIncludedMsP95',
  'workerIncomeUsdcPerDayP50',
  'creditsIssuedCuPerDayMean',
];

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new ReportInputError(path, `unreadable (${(e as Error).message}); run the sweep first`);
  }
}

export const cellLabel = (a: Record<string, unknown>): string =>
  Object.entries(a)
    .map(([k, v]) => `${k.split('.').at(-1)}=${JSON.stringify(v)}`)
    .join(' ') || 'base';

/** The report of a sweep folder: spec, expectation failure probabilities, sensitivity, fans and heatmaps. */
export function sweepReport(dir: string): { charts: Chart[]; html: string } {
  const spec = readJson<SweepSpec>(join(dir, 'sweep.json'));
  const agg = readJson<SweepAggregate>(join(dir, 'aggregate.json'));
  const swept = spec.grid.filter((a) => a.values.length > 1);
  const charts: Chart[] = [
    ...fanColumns.map((c) => fanChart(agg, c)).filter((c): c is Chart => c !== null),
    ...(swept.length > 0
      ? heatMetrics
          .map((m) => heatmapChart(agg, spec.grid, m))
          .filter((c): c is Chart => c !== null)
      : []),
  ];
  const labels = Object.keys(agg.expectationFailure);
  const expectations = htmlTable(
    ['cell', ...labels],
    [
      [
        'all runs',
        ...labels.map(
          (l) =>
            `${formatNumber(agg.expectationFailure[l]!.probability * 100, 1)} % (${agg.expectationFailure[l]!.failed}/${agg.expectationFailure[l]!.runs})`,
        ),
      ],
      ...agg.cells.map((c) => [
        escapeHtml(cellLabel(c.assignments)),
        ...labels.map((l) => `${formatNumber((c.expectationFailure[l] ?? 0) * 100, 1)} %`),
      ]),
    ],
  );
  const sens = [...agg.sensitivity]
    .filter((s) => s.relativeEffect !== null && s.relativeEffect > 0)
    .sort((a, b) => (b.relativeEffect ?? 0) - (a.relativeEffect ?? 0) || (a.key < b.key ? -1 : 1))
    .slice(0, 30);
  const sensitivity = htmlTable(
    ['grid key', 'metric', 'mean at each value', 'relative effect'],
    sens.map((s) => [
      escapeHtml(s.key),
      escapeHtml(s.metric),
      escapeHtml(
        s.byValue
          .map((b) => `${JSON.stringify(b.value)}: ${formatMetric(s.metric, b.mean)}`)
          .join(' · '),
      ),
      formatNumber(s.relativeEffect ?? 0, 3),
    ]),
    [3],
  );
  const specTable = htmlTable(
    ['', ''],
    [
      ['scenario', escapeHtml(spec.scenario)],
      ['seeds', `${spec.seeds.length} (${spec.seeds[0]}..${spec.seeds.at(-1)})`],
      ['days', String(spec.days)],
      ['scale', String(spec.scale)],
      [
        'grid',
        escapeHtml(
          spec.grid
            .map((a) => `${a.key}=${a.values.map((v) => JSON.stringify(v)).join(',')}`)
            .join('  ') || '(none)',
        ),
      ],
      ['runs finished', `${agg.runs} of ${spec.seeds.length * agg.cells.length}`],
      ['commit', `<code>${escapeHtml(spec.commit)}</code>`],
    ],
  );
  const html = htmlPage(`onesim sweep: ${spec.scenario}`, spec.question, [
    { title: 'Sweep', html: specTable },
    {
      title: 'Probability that each expectation fails',
      html: labels.length === 0 ? '<p>The scenario declares no expectations.</p>' : expectations,
    },
    {
      title: 'Sensitivity of headline metrics to the grid',
      html:
        sens.length === 0 ? '<p>No swept key (a key needs two or more values).</p>' : sensitivity,
    },
    { title: 'Charts', html: charts.map(chartFigure).join('\n') },
  ]);
  return { charts, html };
}
