import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { stableSvg } from './stableSvg.ts';

export type PlotOptions = Plot.PlotOptions;

export interface Chart {
  /** File-safe name: charts/<name>.svg and .png; also the chart's class and id prefix. */
  name: string;
  title: string;
  /** One sentence under the title: how to read it. */
  caption: string;
  svg: string;
}

/** Plot needs a DOM; linkedom gives a light one without a browser. */
function plotDocument(): PlotOptions['document'] {
  return parseHTML('<!doctype html><html><head></head><body></body></html>')
    .document as unknown as PlotOptions['document'];
}

/**
 * Renders Plot options to a standalone SVG string: fixed class name, ids renamed in order of
 * appearance and numbers rounded, so the same data always gives the same bytes.
 */
export function renderPlot(name: string, options: PlotOptions): string {
  const node = Plot.plot({
    width: 720,
    height: 300,
    marginLeft: 70,
    marginRight: 90,
    style: {
      background: 'white',
      color: 'black',
      fontFamily: 'DejaVu Sans, sans-serif',
      fontSize: '11px',
    },
    ...options,
    document: plotDocument(),
    className: `onesim-${name}`,
  }) as unknown as { tagName: string; outerHTML: string };
  if (node.tagName.toLowerCase() !== 'svg')
    throw new Error(
      `chart ${name}: Plot returned <${node.tagName}>; charts must not use HTML legends`,
    );
  return stableSvg(node.outerHTML, name);
}

export function chart(name: string, title: string, caption: string, options: PlotOptions): Chart {
  return { name, title, caption, svg: renderPlot(name, options) };
}
