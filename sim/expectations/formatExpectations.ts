import type { ExpectationResult } from './evaluateExpectations.ts';

const num = (v: number | null): string =>
  v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 4 });

/** The pass/fail table printed after a run: one line per expectation. */
export function formatExpectations(results: readonly ExpectationResult[]): string {
  if (results.length === 0) return 'expectations: none declared\n';
  const rows = results.map((r) => [
    r.pass ? 'PASS' : 'FAIL',
    r.label,
    `${r.subject} = ${num(r.actual)} (want ${r.op} ${num(r.value)})${r.note ? ` — ${r.note}` : ''}`,
  ]);
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  const failed = results.filter((r) => !r.pass).length;
  const lines = rows.map(([s, l, d]) => `  ${s}  ${l!.padEnd(w1)}  ${d}`);
  return `expectations: ${results.length - failed} of ${results.length} pass\n${lines.join('\n')}\n`;
}
