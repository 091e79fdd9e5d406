import { type Coverage, laneCodes, laneColumns } from './coverage.ts';

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
      'checks (state invariants after every accepted step, step invariants on the steps they apply to, replay once per run)',
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
      'rejection codes by lane (job-related codes; — where a code does not apply)',
      ['code', ...laneColumns, ''],
      Object.entries(c.lanes).map(([code, cells]) => {
        const applies = laneCodes[code as keyof typeof laneCodes] ?? [];
        const never = applies.filter((lane) => cells[lane] === 0);
        return [
          code,
          ...laneColumns.map((lane) =>
            applies.includes(lane) || cells[lane] > 0 ? n(cells[lane]) : '—',
          ),
          never.length > 0 ? `← never: ${never.join(', ')}` : '',
        ];
      }),
    ),
    ...section(
      'rare states reached',
      ['state', 'times', ''],
      Object.entries(c.rareStates).map(([k, v]) => [k, n(v), flag(v)]),
    ),
  ];
}
