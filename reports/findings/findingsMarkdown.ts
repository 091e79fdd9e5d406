import type { CalibrationFile, Figure } from '../../scenarios/calibration.ts';
import type { Finding } from '../../sim/findings/runFindings.ts';
import { formatNumber } from '../format.ts';

const mdTable = (rows: string[][]): string => {
  const [head, ...body] = rows;
  if (!head) return '';
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
};

const seedCount = (f: Finding, cells: number): number => Math.round(f.runs / Math.max(1, cells));

/** The calibration figures behind the answers, with their sources (title, address, date read). */
export interface CalibrationUsed {
  figures: readonly Figure[];
  assumptions: CalibrationFile['assumptions'];
  /** CU weight of an input token. */
  inputWeight: number;
}

export function calibrationSources(c: CalibrationUsed): string {
  const rows = c.figures.map((f) => [
    `\`${f.id}\``,
    `${formatNumber(f.value, 4)} (${formatNumber(f.low, 4)}–${formatNumber(f.high, 4)})`,
    f.unit,
    f.sources.map((s) => `[${s.title}](${s.url}), read ${s.read}`).join('; '),
  ]);
  const assumptions = Object.entries(c.assumptions).map(([id, a]) => [
    `\`${id}\``,
    a.value !== undefined ? formatNumber(a.value, 4) : `${a.low}–${a.high}`,
    a.unit,
    a.why,
  ]);
  return `## Calibration sources

Every scenario input comes from \`scenarios/calibration.json\` (worked out in
\`scenarios/calibrated.ts\`): each figure's value is the median of its observations and the range
is what the sources disagree by. A CU is one output token plus ${c.inputWeight} × each input token
of the reference 8B-class chat model (the median input ÷ output price of the providers listed);
other models' requests cost their FLOPs over one 8B output token's.

${mdTable([['figure', 'value (range seen)', 'unit', 'sources'], ...rows])}

Assumptions (no public figure fixes these):

${mdTable([['assumption', 'value', 'unit', 'why'], ...assumptions])}
`;
}

/** What the answers' scales say: all at the scenarios as written, or which are scaled down. */
function scaleNote(f: Finding[]): string {
  const down = f.filter((x) => x.scale < 1).map((x) => `"${x.question.title}" at ${x.scale}`);
  if (down.length === 0)
    return 'every answer ran at scale 1, the scenarios as written, each with as many seeds as fit on this 2-core machine (the run time of each sweep is under its table).';
  return `the simulator is not yet fast enough to run every question at scale 1 over hundreds of seeds on this machine, so each question runs at the largest scale and seed count that fit (scaled down: ${down.join('; ')}).`;
}

/** docs/findings.md: each answer with the numbers, the scale and seeds it ran at, its run time and command. */
export function findingsMarkdown(
  f: Finding[],
  s: { command: string; commit: string; calibration: CalibrationUsed },
): string {
  const parts = f.map((x) => {
    const cells = x.question.grid.reduce((n, a) => n * a.values.length, 1);
    return `## ${x.question.title}

${x.text}

${mdTable(x.table)}

Scale ${x.scale}, seeds ${x.seeds} (${seedCount(x, cells)} per cell, ${x.runs} runs), ${x.days} days; the sweep took ${formatNumber(x.totalSeconds, 0)} s of wall time on a 2-core machine shared with other work${x.ran < x.runs ? ` (this pass ran ${x.ran} of the runs in ${formatNumber(x.seconds, 0)} s and resumed the rest)` : ''}. Reproduce:

\`\`\`sh
${x.command}
\`\`\`
`;
  });
  return `# Findings for ONE's default parameters on a calibrated network

Written by \`${s.command}\` at commit \`${s.commit.slice(0, 10)}\`. Every number below comes from
simulated runs of the named scenarios, whose inputs (requests, usage, GPU capacity and cost,
SLOs) come from public sources listed at the end. Each answer states the scale it ran at
(holders, workers, sponsors and the treasury × scale; 1 = the scenario as written), its seeds and
days, and how long its sweep took: ${scaleNote(f)} Protocol parameters are the defaults (\`protocol/params.ts\`) except where a
question sweeps one. "p5" and "p95" are over seeds (nearest rank); the bracket after one is its
95 % confidence interval from order statistics (distribution-free: the interval [x(l), x(u)] of
the sorted seed values that holds the true percentile with probability ≥ 95 %; a smaller level is
printed where too few seeds allow no more). Income per worker counts settled pay, which lags
completion by 6–12 hours, so a 7-day run understates a day's income by about 5 %.

${parts.join('\n')}
${calibrationSources(s.calibration)}`;
}
