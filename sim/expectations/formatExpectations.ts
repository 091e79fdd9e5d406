import type { ExpectationResult } from './evaluateExpectations.ts';

const num = (v: number | null): string =>
  v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 4 });

/** The pass/fail table printed after a run: one line per expectation. */
export function formatExpectations(results: readonly ExpectationResult[]): string {
  if (results.length === 0) return 'expectations: none declared\n';
  const rows = results.map((r) => [
    r.question ? (r.pass ? 'YES ' : 'NO  ') : r.pass ? 'PASS' : 'FAIL',
    r.label,
    `${r.subject} = ${num(r.actual)} (want ${r.op} ${num(r.value)})${r.note ? ` — ${r.note}` : ''}`,
  ]);
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  const lines = rows.map(([s, l, d]) => `  ${s}  ${l!.padEnd(w1)}  ${d}`);
  const checks = results.filter((r) => !r.question);
  const questions = results.filter((r) => r.question);
  const head = [
    checks.length > 0 ? `${checks.filter((r) => r.pass).length} of ${checks.length} pass` : '',
    questions.length > 0
      ? `${questions.filter((r) => r.pass).length} of ${questions.length} questions answered yes (a no does not fail the run)`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `expectations: ${head}\n${lines.join('\n')}\n`;
}
