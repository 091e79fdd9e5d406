import * as Plot from '@observablehq/plot';
import type { SweepAggregate } from '../../sim/sweep/aggregateSweep.ts';
import { formatNumber, tickThousands } from '../format.ts';
import { type Chart, chart } from '../plot/renderPlot.ts';
import { scaleOf, unitOf } from './sweepCharts.ts';

/** The metrics a sweep report draws a tornado for (those the sweep has). */
export const tornadoMetrics = [
  'honestWorkerIncomeOverCostP50',
  'goodputIncluded',
  'goodputDedicated',
  'treasuryRunwayDays',
  'treasuryNetUsdc',
  'treasuryDrawdownShare',
  'waitIncludedMsP95',
  'sigmaMin',
  'utilisationMean',
] as const;

const valueText = (v: unknown): string => (typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * Sensitivity of one metric to each swept key: a bar per key from the lowest to the highest mean
 * over that key's values (other keys averaged), widest first, each end labelled with the value
 * that gives it; the rule is the metric's mean over all cells. Null without a swept key.
 */
export function tornadoChart(agg: SweepAggregate, metric: string): Chart | null {
  const k = scaleOf(metric);
  const rows = agg.sensitivity
    .filter((s) => s.metric === metric)
    .map((s) => {
      const finite = s.byValue.filter((b) => Number.isFinite(b.mean));
      const lo = finite.reduce((a, b) => (b.mean < a.mean ? b : a), finite[0]!);
      const hi = finite.reduce((a, b) => (b.mean > a.mean ? b : a), finite[0]!);
      return {
        key: s.key,
        lo: lo.mean * k,
        hi: hi.mean * k,
        loText: valueText(lo.value),
        hiText: valueText(hi.value),
        effect: s.effect,
      };
    })
    .filter((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi))
    .sort((a, b) => b.effect - a.effect || (a.key < b.key ? -1 : 1));
  if (rows.length === 0) return null;
  const means = agg.cells.map((c) => c.metrics[metric]?.mean).filter(Number.isFinite) as number[];
  const base = (means.reduce((a, b) => a + b, 0) / means.length) * k;
  return chart(
    `tornado-${metric}`,
    `Sensitivity of ${metric} to each swept key`,
    `Each bar: the lowest and highest mean of ${metric}${unitOf(metric)} over one key's values (the other keys averaged), widest first; each end names the value that gives it. The rule is the mean over all cells (${formatNumber(base, 3)}).`,
    {
      height: 70 + 36 * rows.length,
      marginLeft: 170,
      marginRight: 130,
      x: { label: `${metric}${unitOf(metric)}`, grid: true, tickFormat: tickThousands },
      y: { label: null, domain: rows.map((r) => r.key) },
      marks: [
        Plot.barX(rows, { y: 'key', x1: 'lo', x2: 'hi', fill: 'steelblue', fillOpacity: 0.8 }),
        Plot.ruleX([base], { stroke: 'crimson', strokeWidth: 1.5 }),
        Plot.text(rows, { y: 'key', x: 'lo', text: 'loText', textAnchor: 'end', dx: -4 }),
        Plot.text(rows, { y: 'key', x: 'hi', text: 'hiText', textAnchor: 'start', dx: 4 }),
      ],
    },
  );
}
