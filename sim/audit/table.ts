import type { Coverage } from './coverage.ts';

const n = (x: number) => x.toLocaleString('en-US');

function section(title: string, header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return ['', title, line(header), ...rows.map(line)];
}

/** The per-check table, every rejection code and every rare state; zeros are flagged. */
export function coverageTable(c: Coverage): string[] {
  const flag = (x: number) => (x === 0 ? '← never' : '');
  return [
    ...section(
      'checks (invariants after every accepted step; replay once per run)',
      ['check', 'checks', 'violations', ''],
      Object.entries(c.checks).map(([k, v]) => [
        k,
        n(v),
        n(c.violations[k as keyof Coverage['violations']]),
        c.violations[k as keyof Coverage['violations']] > 0 ? '← VIOLATED' : flag(v),
      ]),
    ),
    ...section(
      'rejection codes reached',
      ['code', 'times', ''],
      Object.entries(c.rejections).map(([k, v]) => [k, n(v), flag(v)]),
    ),
    ...section(
      'rare states reached',
      ['state', 'times', ''],
      Object.entries(c.rareStates).map(([k, v]) => [k, n(v), flag(v)]),
    ),
  ];
}
