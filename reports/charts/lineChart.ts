import * as Plot from '@observablehq/plot';
import { tickThousands } from '../format.ts';
import { type Chart, chart } from '../plot/renderPlot.ts';
import { dayAxis } from './dayTicks.ts';

export interface Series {
  label: string;
  points: Array<{ x: number; y: number }>;
}

export interface LineChartParameters {
  name: string;
  title: string;
  caption: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  yDomain?: [number, number];
  yPercent?: boolean;
  /** x is in days: ticks on whole days only (default when xLabel is 'day'). */
  xDays?: boolean;
}

/** One or more labelled lines over time; labels sit at each line's end (no HTML legend, so PNG works). */
export function lineChart(p: LineChartParameters): Chart {
  const data = p.series.flatMap((s) => s.points.map((pt) => ({ ...pt, series: s.label })));
  const multi = p.series.length > 1;
  const days = p.xDays ?? p.xLabel === 'day';
  return chart(p.name, p.title, p.caption, {
    x: days
      ? dayAxis(
          data.map((d) => d.x),
          p.xLabel,
        )
      : { label: p.xLabel },
    y: {
      label: p.yLabel,
      grid: true,
      tickFormat: p.yPercent ? (d: number) => `${Math.round(d * 100)}%` : tickThousands,
      ...(p.yDomain ? { domain: p.yDomain } : {}),
    },
    color: { type: 'categorical', domain: p.series.map((s) => s.label) },
    marks: [
      Plot.ruleY([p.yDomain?.[0] ?? 0]),
      Plot.lineY(data, {
        x: 'x',
        y: 'y',
        stroke: multi ? 'series' : 'steelblue',
        strokeWidth: 1.5,
      }),
      ...(multi
        ? [
            Plot.text(
              data,
              Plot.selectLast({
                x: 'x',
                y: 'y',
                z: 'series',
                text: 'series',
                fill: 'series',
                dx: 4,
                textAnchor: 'start',
              }),
            ),
          ]
        : []),
    ],
  });
}
