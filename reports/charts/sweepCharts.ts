import * as Plot from '@observablehq/plot';
import type { SweepAggregate } from '../../sim/sweep/aggregateSweep.ts';
import type { GridAxis } from '../../sim/sweep/parseGrid.ts';
import { formatNumber, tickThousands } from '../format.ts';
import { type Chart, chart } from '../plot/renderPlot.ts';
import { dayAxis } from './dayTicks.ts';

const cellsShownMax = 6;
const label = (a: Record<string, unknown>): string =>
  Object.entries(a)
    .filter(([, v], _i) => v !== undefined)
    .map(([k, v]) => `${k.split('.').at(-1)}=${JSON.stringify(v)}`)
    .join(' ') || 'base';
export const scaleOf = (column: string): number => (/Ms(P\d+)?$/.test(column) ? 1e-3 : 1);
export const unitOf = (column: string): string =>
  /Ms(P\d+)?$/.test(column)
    ? ' (s)'
    : /Usdc/.test(column)
      ? ' (USDC)'
      : /Cu$/.test(column)
        ? ' (CU)'
        : '';

/** p5–p95 band and p50 line over days, one colour per grid cell (the first few cells). */
export function fanChart(
  agg: SweepAggregate,
  column: string,
  o: { cells?: readonly number[]; name?: string } = {},
): Chart | null {
  const fans = agg.fans
    .filter(
      (f) =>
        f.column === column &&
        f.points.length > 0 &&
        (o.cells === undefined || o.cells.includes(f.cell)),
    )
    .slice(0, cellsShownMax);
  if (fans.length === 0) return null;
  const names = new Map(agg.cells.map((c) => [c.index, label(c.assignments)]));
  const k = scaleOf(column);
  const data = fans.flatMap((f) =>
    f.points.map((p) => ({
      cell: names.get(f.cell)!,
      day: p.day,
      p5: p.p5 * k,
      p50: p.p50 * k,
      p95: p.p95 * k,
    })),
  );
  const multi = fans.length > 1;
  return chart(
    o.name ?? `fan-${column}`,
    `${column} over seeds`,
    `Band: p5–p95 over ${agg.seeds} seeds of each day's value; line: p50.${multi ? ` One colour per grid cell (first ${cellsShownMax}).` : ''}`,
    {
      x: dayAxis(data.map((d) => d.day)),
      y: { label: `${column}${unitOf(column)}`, grid: true, tickFormat: tickThousands },
      color: { type: 'categorical', domain: fans.map((f) => names.get(f.cell)!) },
      marks: [
        Plot.areaY(data, {
          x: 'day',
          y1: 'p5',
          y2: 'p95',
          fill: multi ? 'cell' : 'steelblue',
          fillOpacity: 0.2,
          z: 'cell',
        }),
        Plot.lineY(data, { x: 'day', y: 'p50', stroke: multi ? 'cell' : 'steelblue', z: 'cell' }),
        ...(multi
          ? [
              Plot.text(
                data,
                Plot.selectLast({
                  x: 'day',
                  y: 'p50',
                  z: 'cell',
                  text: 'cell',
                  fill: 'cell',
                  dx: 4,
                  textAnchor: 'start',
                }),
              ),
            ]
          : []),
      ],
    },
  );
}

/** Mean of a metric in every grid cell: x = the first swept key, y = the other keys together. */
export function heatmapChart(agg: SweepAggregate, grid: GridAxis[], metric: string): Chart | null {
  const swept = grid.filter((a) => a.values.length > 1);
  if (swept.length === 0 || !agg.cells.some((c) => c.metrics[metric])) return null;
  const [xAxis, ...rest] = swept;
  const data = agg.cells.map((c) => ({
    x: JSON.stringify(c.assignments[xAxis!.key]),
    y:
      rest
        .map((a) => `${a.key.split('.').at(-1)}=${JSON.stringify(c.assignments[a.key])}`)
        .join(' ') || 'all',
    v: (c.metrics[metric]?.mean ?? Number.NaN) * scaleOf(metric),
  }));
  return chart(
    `heatmap-${metric}`,
    `${metric}: mean over seeds per grid cell`,
    `Each cell: the mean of ${metric}${unitOf(metric)} over the seeds of that grid cell.`,
    {
      height: 80 + 40 * new Set(data.map((d) => d.y)).size,
      marginLeft: 160,
      padding: 0.05,
      x: { label: xAxis!.key, domain: xAxis!.values.map((v) => JSON.stringify(v)) },
      y: { label: rest.map((a) => a.key).join(', ') || null },
      color: { type: 'linear', scheme: 'blues' },
      marks: [
        Plot.cell(data, { x: 'x', y: 'y', fill: 'v' }),
        Plot.text(data, {
          x: 'x',
          y: 'y',
          text: (d: { v: number }) => formatNumber(d.v, 2),
          fill: 'black',
        }),
      ],
    },
  );
}
