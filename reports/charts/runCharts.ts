import * as Plot from '@observablehq/plot';
import { tickThousands } from '../format.ts';
import { type Chart, chart } from '../plot/renderPlot.ts';
import type { Row, RunData } from '../readRunDir.ts';
import { lineChart } from './lineChart.ts';

const DAY_MS = 86_400_000;
const num = (r: Row, k: string): number => Number(r[k]);
const overTime = (rows: Row[], k: string, scale = 1) =>
  rows.map((r) => ({ x: num(r, 'tMs') / DAY_MS, y: num(r, k) * scale }));

/** Columns the verification layer adds (availability, slashing, audits): charted only when present and non-zero. */
export const verificationColumn = /availab|slash|jail|audit|mismatch|bount|withheld/i;

function dailyCredits(rows: Row[]): { issued: Series2; used: Series2 } {
  const byDay = new Map<number, { issued: number; used: number }>();
  for (const r of rows) {
    const d = byDay.get(num(r, 'day')) ?? { issued: 0, used: 0 };
    d.issued = Math.max(d.issued, num(r, 'creditsIssuedCu'));
    d.used = Math.max(d.used, num(r, 'creditsUsedCu'));
    byDay.set(num(r, 'day'), d);
  }
  const days = [...byDay.entries()].sort(([a], [b]) => a - b);
  return {
    issued: days.map(([x, d]) => ({ x, y: d.issued })),
    used: days.map(([x, d]) => ({ x, y: d.used })),
  };
}
type Series2 = Array<{ x: number; y: number }>;

function workerIncomeChart(workers: Row[]): Chart | null {
  if (workers.length === 0) return null;
  const data = workers.map((w) => ({
    income: num(w, 'incomeUsdcPerDay'),
    cost: num(w, 'costUsdcPerDay'),
  }));
  const costs = data.map((d) => d.cost).sort((a, b) => a - b);
  const medianCost = costs[Math.floor(costs.length / 2)]!;
  return chart(
    'worker-income',
    'Worker income a day',
    `Workers by mean income a day over the run (USDC); the red rule is the median operating cost (${tickThousands(medianCost)} USDC).`,
    {
      x: { label: 'income a day (USDC)', tickFormat: tickThousands },
      y: { label: 'workers', grid: true },
      marks: [
        Plot.rectY(data, {
          ...Plot.binX({ y: 'count' }, { x: 'income', thresholds: 20 }),
          fill: 'steelblue',
        }),
        Plot.ruleY([0]),
        Plot.ruleX([medianCost], { stroke: 'crimson', strokeWidth: 2 }),
      ],
    },
  );
}

/** The charts of one run, in reading order; a chart whose data the run lacks is left out. */
export function runCharts(d: RunData): Chart[] {
  const m = d.metrics;
  if (m.length === 0) return [];
  const charts: Array<Chart | null> = [
    lineChart({
      name: 'treasury',
      title: 'Treasury',
      caption: 'USDC in the treasury at each sample.',
      series: [{ label: 'treasury', points: overTime(m, 'treasuryUsdc') }],
      xLabel: 'day',
      yLabel: 'treasury (USDC)',
    }),
    lineChart({
      name: 'sigma',
      title: 'Treasury bound σ',
      caption: 'The share of nominal credits the treasury can pay for (1 = credits are not cut).',
      series: [{ label: 'σ', points: overTime(m, 'sigma') }],
      xLabel: 'day',
      yLabel: 'σ',
      yDomain: [0, 1],
    }),
    (() => {
      const c = dailyCredits(m);
      return lineChart({
        name: 'credits',
        title: 'Credits issued vs used',
        caption: 'Each day: CU allotted to holders and CU they used.',
        series: [
          { label: 'issued', points: c.issued },
          { label: 'used', points: c.used },
        ],
        xLabel: 'day',
        yLabel: 'CU a day',
      });
    })(),
    lineChart({
      name: 'waits',
      title: 'Queue waits per lane (p95)',
      caption: 'p95 wait of jobs dispatched in each interval, seconds.',
      series: [
        { label: 'Included', points: overTime(m, 'waitIncludedMsP95', 1e-3) },
        { label: 'Dedicated', points: overTime(m, 'waitDedicatedMsP95', 1e-3) },
      ],
      xLabel: 'day',
      yLabel: 'p95 wait (s)',
    }),
    goodputChart(m),
    lineChart({
      name: 'utilisation',
      title: 'Utilisation',
      caption: 'Busy slots over slots of workers that are up.',
      series: [{ label: 'utilisation', points: overTime(m, 'utilisation') }],
      xLabel: 'day',
      yLabel: 'utilisation',
      yDomain: [0, 1],
      yPercent: true,
    }),
    workerIncomeChart(d.workers),
    verificationChart(m),
    deploymentsChart(m),
  ];
  return charts.filter((c): c is Chart => c !== null);
}

/** Goodput per lane over time: jobs ending in each interval that completed within the lane's SLO. */
function goodputChart(m: Row[]): Chart | null {
  if (!('goodputIncluded' in m[0]!)) return null;
  return lineChart({
    name: 'goodput',
    title: 'Goodput per lane',
    caption:
      "Share of the jobs ending in each interval that completed within their lane's SLO (expired and failed jobs are misses).",
    series: [
      { label: 'Included', points: overTime(m, 'goodputIncluded') },
      { label: 'Dedicated', points: overTime(m, 'goodputDedicated') },
    ],
    xLabel: 'day',
    yLabel: 'goodput',
    yDomain: [0, 1],
    yPercent: true,
  });
}

function verificationChart(m: Row[]): Chart | null {
  const cols = Object.keys(m[0]!).filter(
    (k) => verificationColumn.test(k) && m.some((r) => num(r, k) !== 0),
  );
  if (cols.length === 0) return null;
  return lineChart({
    name: 'verification',
    title: 'Availability and slashing',
    caption: `Verification columns of metrics.csv: ${cols.join(', ')}.`,
    series: cols.map((k) => ({ label: k, points: overTime(m, k) })),
    xLabel: 'day',
    yLabel: 'value',
  });
}

/** Deployments: the hourly share of model-time short of replicas, when a model ever was. */
function deploymentsChart(m: Row[]): Chart | null {
  if (!m.some((r) => num(r, 'underReplicatedShare') > 0)) return null;
  return lineChart({
    name: 'deployments',
    title: 'Models under-replicated',
    caption:
      'Share of deployed models’ time in each interval with fewer ready replicas than their target (a crashed or departed holder’s replacement still fetching the model).',
    series: [{ label: 'under-replicated', points: overTime(m, 'underReplicatedShare') }],
    xLabel: 'day',
    yLabel: 'share of model-time',
    yDomain: [0, 1],
    yPercent: true,
  });
}
