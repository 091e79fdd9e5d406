import type { SweepAggregate } from '../../sim/sweep/aggregateSweep.ts';
import { fanChart } from '../charts/sweepCharts.ts';
import { escapeHtml } from '../format.ts';
import type { Chart } from '../plot/renderPlot.ts';
import { htmlTable } from './htmlPage.ts';
import { formatMetric } from './runReportHtml.ts';

type Cell = SweepAggregate['cells'][number];

export const cellName = (c: Pick<Cell, 'index' | 'assignments'>): string =>
  `cell ${c.index}: ${
    Object.entries(c.assignments)
      .map(([k, v]) => `${k.split('.').at(-1)}=${JSON.stringify(v)}`)
      .join(' ') || 'base'
  }`;

/** The metrics shown side by side, in this order, then every other metric of the cells. */
const first = [
  'honestWorkerIncomeOverCostP50',
  'honestWorkersCoveringCostShare',
  'goodputIncluded',
  'goodputDedicated',
  'waitIncludedMsP95',
  'waitDedicatedMsP95',
  'treasuryRunwayDays',
  'treasuryDrawdownShare',
  'treasuryNetUsdc',
  'sigmaMin',
  'utilisationMean',
  'paidToWorkersUsdc',
];

const spreadText = (m: string, s: Cell['metrics'][string] | undefined): string =>
  s === undefined
    ? '—'
    : `${formatMetric(m, s.p50)} <small>(${formatMetric(m, s.p5)} … ${formatMetric(m, s.p95)})</small>`;

/**
 * Two cells side by side: each metric's median over seeds with its p5 … p95, the difference of
 * the medians, each expectation's failure rate, and the two cells' fans on shared axes.
 */
export function compareCells(
  agg: SweepAggregate,
  a: number,
  b: number,
): { html: string; charts: Chart[] } {
  const ca = agg.cells.find((c) => c.index === a);
  const cb = agg.cells.find((c) => c.index === b);
  if (!ca || !cb) return { html: '<p>Those cells are not in this sweep.</p>', charts: [] };
  const names = [
    ...first.filter((m) => m in ca.metrics || m in cb.metrics),
    ...Object.keys(ca.metrics)
      .filter((m) => !first.includes(m))
      .sort(),
  ];
  const rows = names.map((m) => {
    const d = (cb.metrics[m]?.p50 ?? Number.NaN) - (ca.metrics[m]?.p50 ?? Number.NaN);
    return [
      escapeHtml(m),
      spreadText(m, ca.metrics[m]),
      spreadText(m, cb.metrics[m]),
      Number.isFinite(d) ? `${d > 0 ? '+' : ''}${formatMetric(m, d)}` : '—',
    ];
  });
  const labels = Object.keys(ca.expectationFailure);
  const expectations = labels.map((l) => [
    `fails: ${escapeHtml(l)}`,
    `${((ca.expectationFailure[l] ?? 0) * 100).toFixed(1)} %`,
    `${((cb.expectationFailure[l] ?? 0) * 100).toFixed(1)} %`,
    '',
  ]);
  const header = [
    'metric (p50, with p5 … p95 over seeds)',
    `A = ${cellName(ca)}`,
    `B = ${cellName(cb)}`,
    'B − A (p50)',
  ];
  const charts = ['treasuryUsdc', 'goodputIncluded', 'waitIncludedMsP95', 'workerIncomeUsdc']
    .map((col) => fanChart(agg, col, { cells: [a, b], name: `compare-${col}` }))
    .filter((c): c is Chart => c !== null);
  return { html: htmlTable(header, [...expectations, ...rows], [1, 2, 3]), charts };
}
