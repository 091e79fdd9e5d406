import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { findingsMarkdown } from '../../reports/findings/findingsMarkdown.ts';
import { writeAtomic } from '../../reports/writeAtomic.ts';
import { runFindings } from '../../sim/findings/runFindings.ts';
import { parseSeeds } from '../../sim/sweep/parseSeeds.ts';
import { SweepSpecError } from '../../sim/sweep/sweepErrors.ts';
import { UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';
import { onInterrupt } from '../progress.ts';

interface FindingsOptions {
  scale: string;
  seeds: string;
  days: string;
  out: string;
  doc: string;
  threads?: string;
  json?: boolean;
}

export function registerFindings(program: Command): void {
  program
    .command('findings')
    .description(
      'Run the sweeps behind docs/findings.md (allotment, take rate, sybil leak, Dedicated load) and write it',
    )
    .option('--scale <f>', 'network size factor of every sweep', '0.1')
    .option('--seeds <list>', 'seeds of every sweep', '1..5')
    .option('--days <n>', 'days of the long-horizon (allotment) question', '90')
    .option('--out <dir>', 'folder of the sweeps (resumable)', join('out', 'findings'))
    .option('--doc <file>', 'the Markdown file to write', join('docs', 'findings.md'))
    .option('--threads <n>', 'pool threads (default: CPU cores)')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action(async (o: FindingsOptions) => {
      const scale = parseNumber('--scale', o.scale, { minExclusive: 0, max: 100 });
      const longDays = parseNumber('--days', o.days, { integer: true, min: 1, max: 3650 });
      const threads =
        o.threads === undefined
          ? undefined
          : parseNumber('--threads', o.threads, { integer: true, min: 1, max: 256 });
      try {
        parseSeeds(o.seeds);
      } catch (e) {
        if (e instanceof SweepSpecError) throw new UsageError(e.message, e.field);
        throw e;
      }
      const commit = gitCommit();
      const interrupt = onInterrupt();
      try {
        const f = await runFindings({
          scale,
          seeds: o.seeds,
          longDays,
          outDir: o.out,
          commit,
          threads,
          shouldStop: () => interrupt.requested,
          onQuestion: (q, i) => process.stderr.write(`findings ${i + 1}/4: ${q.title}\n`),
        });
        const command = `npx onesim findings --scale ${scale} --seeds ${o.seeds} --days ${longDays}`;
        mkdirSync(dirname(o.doc), { recursive: true });
        writeAtomic(
          o.doc,
          findingsMarkdown(f, { scale, seeds: o.seeds, longDays, command, commit }),
        );
        if (o.json)
          console.log(
            JSON.stringify({
              doc: o.doc,
              findings: f.map((x) => ({
                id: x.question.id,
                text: x.text,
                command: x.command,
                runs: x.runs,
                seconds: x.seconds,
              })),
            }),
          );
        else
          for (const x of f)
            console.log(
              `${x.question.title}\n  ${x.text}\n  (${x.runs} runs, ${x.seconds} s) ${x.command}\n`,
            );
      } finally {
        interrupt.dispose();
      }
    });
}
