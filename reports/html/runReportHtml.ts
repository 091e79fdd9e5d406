import { escapeHtml, formatMs, formatNumber } from '../format.ts';
import type { Chart } from '../plot/renderPlot.ts';
import type { RunData } from '../readRunDir.ts';
import { chartFigure, htmlPage, htmlTable, passCell } from './htmlPage.ts';

interface ExpectationRow {
  label: string;
  subject: string;
  op: string;
  value: number;
  actual: number | null;
  pass: boolean;
  question?: boolean;
  note?: string;
}

/** Headline values in units people read: USDC with separators, waits in s/min, shares in %. */
export function formatMetric(key: string, v: unknown): string {
  if (typeof v !== 'number') return escapeHtml(String(v));
  if (/Usdc/.test(key)) return `${formatNumber(v)} USDC`;
  if (/OneWei$/.test(key)) return `${formatNumber(v / 1e18)} $ONE`;
  if (/Ms(P\d+)?$/.test(key)) return formatMs(v);
  if (/utilisation|Share$|^goodput/i.test(key))
    // small shares keep two significant digits: 0.0078 %, not 0 %
    return v !== 0 && Math.abs(v) < 0.001
      ? `${Number((v * 100).toPrecision(2))} %`
      : `${formatNumber(v * 100, /^goodput/.test(key) ? 2 : 1)} %`;
  return formatNumber(v, 4);
}

function flatten(o: unknown, prefix = ''): Array<[string, string]> {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return [[prefix, JSON.stringify(o)]];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
    flatten(v, prefix ? `${prefix}.${k}` : k),
  );
}

function expectationsHtml(s: RunData['summary']): string {
  const list = (s.expectations as ExpectationRow[] | undefined) ?? [];
  const inv = s.invariants as
    | {
        checks: number;
        violation: { violations: Array<{ invariant: string; message: string }> } | null;
      }
    | undefined;
  const rows = list.map((e) => [
    passCell(e.pass, e.question === true),
    escapeHtml(e.label),
    escapeHtml(`${e.subject} ${e.op} ${formatNumber(e.value, 4)}`),
    e.actual === null ? escapeHtml(e.note ?? '—') : formatMetric(e.subject, e.actual),
  ]);
  if (inv)
    rows.push([
      passCell(inv.violation === null),
      'protocol invariants',
      `${inv.checks} checks`,
      escapeHtml(
        inv.violation
          ? inv.violation.violations.map((v) => `${v.invariant}: ${v.message}`).join('; ')
          : 'all hold',
      ),
    ]);
  return htmlTable(['result', 'expectation', 'check', 'actual'], rows, [3]);
}

/** The HTML report of one run. */
export function runReportHtml(d: RunData, charts: Chart[]): string {
  const s = d.summary;
  const run = htmlTable(
    ['', ''],
    [
      ['scenario', escapeHtml(String(s.scenario))],
      ['seed', escapeHtml(String(s.seed))],
      ['days', escapeHtml(String(s.days))],
      ['status', escapeHtml(String(s.status))],
      ['commit', `<code>${escapeHtml(String(s.commit))}</code>`],
      ['final state hash', `<code>${escapeHtml(String(s.finalStateHash))}</code>`],
      [
        'reproduce',
        `<code>npx onesim run ${escapeHtml(String(s.scenario))} --seed ${escapeHtml(String(s.seed))} --days ${escapeHtml(String(s.days))}</code>`,
      ],
    ],
  );
  const metrics = { ...s.headline, ...((s.derived as Record<string, number>) ?? {}) };
  const headline = htmlTable(
    ['metric', 'value'],
    Object.entries(metrics).map(([k, v]) => [escapeHtml(k), formatMetric(k, v)]),
    [1],
  );
  const params = `<details><summary>protocol parameters</summary>${htmlTable(
    ['parameter', 'value'],
    flatten(s.params).map(([k, v]) => [escapeHtml(k), `<code>${escapeHtml(v)}</code>`]),
  )}</details>`;
  const found =
    typeof s.description === 'string'
      ? [
          {
            title: 'What this scenario found over many seeds',
            html: `<pre class="found">${escapeHtml(s.description)}</pre>`,
          },
        ]
      : [];
  return htmlPage(`onesim run: ${s.scenario} (seed ${s.seed})`, String(s.question ?? ''), [
    ...found,
    { title: 'Run', html: run + params },
    { title: 'Expectations and invariants', html: expectationsHtml(s) },
    { title: 'Headline metrics', html: headline },
    { title: 'Charts', html: charts.map(chartFigure).join('\n') },
  ]);
}
