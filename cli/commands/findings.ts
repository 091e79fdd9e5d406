import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { findingsMarkdown } from '../../reports/findings/findingsMarkdown.ts';
import { chatRequest } from '../../scenarios/calibrated.ts';
import { calibrationFile, figuresOf } from '../../scenarios/calibration.ts';
import { questions } from '../../sim/findings/questions.ts';
import { findingsContext, runFindings } from '../../sim/findings/runFindings.ts';
import { writeFileAtomic } from '../../sim/io/writeFileAtomic.ts';
import { parseSeeds } from '../../sim/sweep/parseSeeds.ts';
import { UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';
import { onInterrupt } from '../progress.ts';

interface FindingsOptions {
  scale?: string;
  seeds?: string;
  days?: string;
  only?: string;
  out: string;
  doc: string;
  threads?: string;
  json?: boolean;
}

export function registerFindings(program: Command): void {
  const ids = questions(findingsContext()).map((q) => q.id);
  program
    .command('findings')
    .description(
      `Run the sweeps behind docs/findings.md (${ids.join(', ')}), each at its own scale, seeds and days unless overridden, print each answer with the confidence interval of every p5/p95, and write the document`,
    )
    .option('--scale <f>', 'network size factor of every sweep (default: each question its own)')
    .option('--seeds <list>', 'seeds of every sweep (default: each question its own)')
    .option('--days <n>', 'days of every sweep (default: each question its own)')
    .option('--only <ids>', `comma-separated questions to run (${ids.join(', ')})`)
    .option('--out <dir>', 'folder of the sweeps (resumable)', join('out', 'findings'))
    .option('--doc <file>', 'the Markdown file to write', join('docs', 'findings.md'))
    .option('--threads <n>', 'pool threads (default: CPU cores)')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action(async (o: FindingsOptions) => {
      const scale =
        o.scale === undefined
          ? undefined
          : parseNumber('--scale', o.scale, { minExclusive: 0, max: 100 });
      const days =
        o.days === undefined
          ? undefined
          : parseNumber('--days', o.days, { integer: true, min: 1, max: 3650 });
      const threads =
        o.threads === undefined
          ? undefined
          : parseNumber('--threads', o.threads, { integer: true, min: 1, max: 256 });
      const only = o.only?.split(',').map((s) => s.trim());
      const unknown = only?.filter((id) => !ids.includes(id)) ?? [];
      if (unknown.length > 0)
        throw new UsageError(
          `--only: ${unknown.join(', ')} is not a question (${ids.join(', ')})`,
          '--only',
        );
      if (o.seeds !== undefined) parseSeeds(o.seeds);
      const commit = gitCommit();
      const interrupt = onInterrupt();
      try {
        const f = await runFindings({
          scale,
          seeds: o.seeds,
          days,
          only,
          outDir: o.out,
          commit,
          threads,
          shouldStop: () => interrupt.requested,
          clockMs: () => performance.now(),
          onQuestion: (q, i, n) => process.stderr.write(`findings ${i + 1}/${n}: ${q.title}\n`),
        });
        const command = [
          'npx onesim findings',
          ...(scale === undefined ? [] : ['--scale', String(scale)]),
          ...(o.seeds === undefined ? [] : ['--seeds', o.seeds]),
          ...(days === undefined ? [] : ['--days', String(days)]),
          ...(only === undefined ? [] : ['--only', only.join(',')]),
        ].join(' ');
        mkdirSync(dirname(o.doc), { recursive: true });
        writeFileAtomic(
          o.doc,
          findingsMarkdown(f, {
            command,
            commit,
            calibration: {
              figures: [...figuresOf(calibrationFile).values()],
              assumptions: calibrationFile.assumptions,
              inputWeight: chatRequest.inputWeight,
            },
          }),
        );
        if (o.json)
          console.log(
            JSON.stringify({
              doc: o.doc,
              findings: f.map((x) => ({
                id: x.question.id,
                text: x.text,
                table: x.table,
                scale: x.scale,
                seeds: x.seeds,
                days: x.days,
                command: x.command,
                runs: x.runs,
                seconds: x.totalSeconds,
              })),
            }),
          );
        else
          for (const x of f) {
            console.log(`${x.question.title}\n  ${x.text}`);
            for (const row of x.table) console.log(`    ${row.join(' | ')}`);
            console.log(
              `  (scale ${x.scale}, seeds ${x.seeds}, ${x.days} days: ${x.runs} runs, ${x.totalSeconds} s) ${x.command}\n`,
            );
          }
      } finally {
        interrupt.dispose();
      }
    });
}
