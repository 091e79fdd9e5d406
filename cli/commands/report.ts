import type { Command } from 'commander';
import { writeReport } from '../../reports/writeReport.ts';
import { UsageError } from '../errors.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'Write a self-contained report.html and charts/*.svg|png for a run or sweep folder',
    )
    .argument('<dir>', 'a folder written by `onesim run` or `onesim sweep`')
    .option('--no-png', 'skip rasterising charts to PNG')
    .option(
      '--compare <a,b>',
      'a sweep folder: the two cells (indexes, as in aggregate.json) shown side by side (default: the first and the last)',
    )
    .option('--json', 'print one JSON object as the last line of stdout')
    .action((dir: string, o: { png: boolean; compare?: string; json?: boolean }) => {
      let compare: [number, number] | undefined;
      if (o.compare !== undefined) {
        const parts = o.compare.split(',').map((x) => x.trim());
        if (parts.length !== 2 || !parts.every((x) => /^\d+$/.test(x)))
          throw new UsageError(
            `--compare: expected two cell indexes like 0,3, got ${JSON.stringify(o.compare)}`,
            '--compare',
          );
        compare = [Number(parts[0]), Number(parts[1])];
      }
      const r = writeReport({ dir, png: o.png, compare });
      if (o.json) console.log(JSON.stringify(r));
      else
        console.log(
          `report: ${r.html} (${r.kind}, ${r.charts.length} charts: ${r.charts.join(', ')})`,
        );
    });
}
