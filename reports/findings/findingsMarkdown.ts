import type { FindingsScale } from '../../sim/findings/questions.ts';
import type { Finding } from '../../sim/findings/runFindings.ts';

const mdTable = (rows: string[][]): string => {
  const [head, ...body] = rows;
  if (!head) return '';
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
};

/** docs/findings.md: each answer with the numbers and the exact command behind it. */
export function findingsMarkdown(
  f: Finding[],
  s: FindingsScale & { command: string; commit: string },
): string {
  const parts = f.map(
    (x) =>
      `## ${x.question.title}\n\n${x.text}\n\n${mdTable(x.table)}\n\nFrom ${x.runs} runs (${x.ran} run by this pass in ${x.seconds} s on 2 cores; the rest resumed):\n\n\`\`\`sh\n${x.command}\n\`\`\`\n`,
  );
  return `# Findings for default ONE parameters

Written by \`${s.command}\` at commit \`${s.commit.slice(0, 10)}\`. Every number below comes from
simulated runs: seeds ${s.seeds}, network scale ${s.scale} (holders, workers, sponsors and the
treasury × ${s.scale} of each scenario; see \`--scale\` in \`onesim sweep --help\`). Protocol parameters are
the defaults (\`protocol/params.ts\`) except the one each question sweeps. "p95" over seeds means
the claim holds in 95 % of seeds (the 5th percentile for a lower bound). Rerun a question's command
to reproduce its sweep folder; add \`--seeds 1..500\` or \`--scale 1\` for tighter numbers.

${parts.join('\n')}`;
}
