import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepAggregate } from '../sim/sweep/aggregateSweep.ts';
import type { RiskEstimate } from '../sim/sweep/riskFigures.ts';
import type { SweepSpec } from '../sim/sweep/sweepStore.ts';
import { fanChart, heatmapChart } from './charts/sweepCharts.ts';
import { tornadoChart, tornadoMetrics } from './charts/tornadoChart.ts';
import { escapeHtml, formatNumber } from './format.ts';
import { compareCells } from './html/compareCells.ts';
import { chartFigure, htmlPage, htmlTable } from './html/htmlPage.ts';
import { formatMetric } from './html/runReportHtml.ts';
import type { Chart } from './plot/renderPlot.ts';
import { ReportInputError } from './readRunDir.ts';

const fanColumns = [
  'treasuryUsdc',
  'sigma',
  'goodputIncluded',
  'goodputDedicated',
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

export interface SweepReportOptions {
  /** Two cell indexes to show side by side (default: the first and the last cell). */
  compare?: readonly [number, number];
}

/** Risk figures per cell: each tail percentile over seeds with its 95 % interval. */
function riskTable(agg: SweepAggregate): string {
  const byName = new Map<string, RiskEstimate>();
  for (const c of agg.cells)
    for (const [name, r] of Object.entries(c.risk ?? {}))
      if (r && !byName.has(name)) byName.set(name, r as RiskEstimate);
  const present = [...byName.entries()].map(([name, r]) => ({
    name,
    label: r.label,
    metric: r.metric,
  }));
  if (present.length === 0) return '<p>No risk figures (the runs lack the metrics).</p>';
  return htmlTable(
    ['cell', ...present.map((f) => f.label)],
    agg.cells.map((c) => [
      escapeHtml(cellLabel(c.assignments)),
      ...present.map((f) => {
        const r = (c.risk as Record<string, RiskEstimate | undefined> | undefined)?.[f.name];
        return r === undefined
          ? '—'
          : `${formatMetric(f.metric, r.value)} <small>[${formatMetric(f.metric, r.lo)}, ${formatMetric(f.metric, r.hi)}] ${formatNumber(r.confidence * 100, 0)} % CI</small>`;
      }),
    ]),
    present.map((_, i) => i + 1),
  );
}

/** The report of a sweep folder: spec, expectation failure probabilities, risk, sensitivity (tornadoes), fans, heatmaps and two cells side by side. */
export function sweepReport(
  dir: string,
  o: SweepReportOptions = {},
): { charts: Chart[]; html: string } {
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
    ...(swept.length > 0
      ? tornadoMetrics.map((m) => tornadoChart(agg, m)).filter((c): c is Chart => c !== null)
      : []),
  ];
  const last = agg.cells.at(-1)?.index ?? 0;
  const pair = o.compare ?? [agg.cells[0]?.index ?? 0, last];
  const compared = agg.cells.length >= 2 || o.compare ? compareCells(agg, pair[0], pair[1]) : null;
  if (compared) charts.push(...compared.charts);
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
      title: 'Risk over seeds (value at risk per cell)',
      html: riskTable(agg),
    },
    {
      title: 'Sensitivity of headline metrics to the grid',
      html:
        sens.length === 0 ? '<p>No swept key (a key needs two or more values).</p>' : sensitivity,
    },
    {
      title: 'Charts',
      html: charts
        .filter((c) => !c.name.startsWith('compare-'))
        .map(chartFigure)
        .join('\n'),
    },
    ...(compared
      ? [
          {
            title: `Two cells side by side: ${pair[0]} and ${pair[1]}`,
            html: `${compared.html}\n${compared.charts.map(chartFigure).join('\n')}\n<p>Another pair: <code>npx onesim report ${escapeHtml(dir)} --compare A,B</code>.</p>`,
          },
        ]
      : []),
  ]);
  return { charts, html };
}
