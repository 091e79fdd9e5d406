import type { Command } from 'commander';
import { ReportInputError } from '../../reports/readRunDir.ts';
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
    .option('--json', 'print one JSON object as the last line of stdout')
    .action((dir: string, o: { png: boolean; json?: boolean }) => {
      let r: ReturnType<typeof writeReport>;
      try {
        r = writeReport({ dir, png: o.png });
      } catch (e) {
        if (e instanceof ReportInputError) throw new UsageError(e.message, 'dir');
        throw e;
      }
      if (o.json) console.log(JSON.stringify(r));
      else
        console.log(
          `report: ${r.html} (${r.kind}, ${r.charts.length} charts: ${r.charts.join(', ')})`,
        );
    });
}
