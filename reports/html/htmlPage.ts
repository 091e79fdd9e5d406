import { escapeHtml } from '../format.ts';
import type { Chart } from '../plot/renderPlot.ts';

const css = `body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#111}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}.pass{color:#137333;font-weight:bold}.fail{color:#b3261e;font-weight:bold}
figure{margin:1.5em 0}figcaption{color:#555;font-size:.9em}.question{font-style:italic}code{font-size:.9em}`;

export interface Section {
  title: string;
  html: string;
}

/** A table from rows of cells already escaped or built as HTML. */
export function htmlTable(
  header: string[],
  rows: string[][],
  numericColumns: number[] = [],
): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const trs = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numericColumns.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

export const passCell = (pass: boolean, question = false): string =>
  question
    ? pass
      ? '<span class="pass">YES</span>'
      : '<span class="fail">NO</span>'
    : pass
      ? '<span class="pass">PASS</span>'
      : '<span class="fail">FAIL</span>';

export function chartFigure(c: Chart): string {
  return `<figure id="chart-${c.name}" data-chart="${c.name}"><h3>${escapeHtml(c.title)}</h3>\n${c.svg}<figcaption>${escapeHtml(c.caption)} <a href="charts/${c.name}.png">PNG</a> · <a href="charts/${c.name}.svg">SVG</a></figcaption></figure>`;
}

/** One self-contained page: inline CSS and SVG, no script, nothing fetched. */
export function htmlPage(title: string, subtitle: string, sections: Section[]): string {
  const body = sections
    .map((s) => `<section><h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${css}</style></head>
<body><h1>${escapeHtml(title)}</h1><p class="question">${escapeHtml(subtitle)}</p>
${body}
</body></html>
`;
}
