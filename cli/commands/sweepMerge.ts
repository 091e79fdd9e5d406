import type { Command } from 'commander';
import { writeReport } from '../../reports/writeReport.ts';
import { mergeSweep } from '../../sim/sweep/mergeSweep.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { gitCommit } from '../gitCommit.ts';
import { onInterrupt } from '../progress.ts';
import { lazyProgress, printExpectations } from './sweep.ts';

interface MergeOptions {
  out?: string;
  report: boolean;
  json?: boolean;
}

/** `onesim sweep merge <dir>…`: the shards of one sweep → the outputs of a one-machine sweep. */
export function registerSweepMerge(sweepCommand: Command): void {
  sweepCommand
    .command('merge')
    .description(
      'Join the shards of one sweep (shard-K-of-N files from --shard K/N or a scheduler array) into the runs.jsonl, runs.csv, runs.json, aggregate.json and report a one-machine sweep writes, byte for byte; exit 2 naming the file for a shard of another sweep or missing runs',
    )
    .argument(
      '<dir...>',
      'folders holding shard-K-of-N.json/.jsonl (a shared folder, or one per shard)',
    )
    .option('--out <dir>', 'output folder (default: the folder, when one is given)')
    .option('--no-report', 'do not write report.html and charts/')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action(async (dirs: string[], o: MergeOptions) => {
      if (o.out === undefined && dirs.length > 1)
        throw new UsageError(
          `--out: give an output folder when merging ${dirs.length} folders (${dirs.join(', ')})`,
          '--out',
        );
      const out = o.out ?? dirs[0]!;
      const interrupt = onInterrupt();
      const progress = lazyProgress('merging');
      try {
        const r = mergeSweep({
          dirs,
          out,
          shouldStop: () => interrupt.requested,
          onProgress: progress.update,
        });
        progress.stop();
        const commit = gitCommit();
        if (commit !== r.spec.commit && !o.json)
          process.stderr.write(
            `onesim: warning: the shards ran at commit ${r.spec.commit.slice(0, 10)}, this onesim is ${commit.slice(0, 10)}; the outputs are this version's\n`,
          );
        const agg = r.aggregate;
        const report = agg !== null && o.report && agg.runs > 0 ? writeReport({ dir: out }) : null;
        const summary = {
          outDir: out,
          shards: r.shards.map((s) => ({ path: s.path, shard: s.shard, runs: s.runs })),
          runs: agg?.runs ?? 0,
          repeated: r.repeated,
          stopped: r.stopped,
          cells: agg?.cells.length ?? 0,
          expectationFailure: agg?.expectationFailure ?? {},
          report: report?.html ?? null,
        };
        if (o.json) console.log(JSON.stringify(summary));
        else if (agg === null) console.log('merge: STOPPED; nothing written');
        else {
          console.log(
            `merge: ${agg.runs} runs from ${r.shards.length} shard files (${agg.cells.length} grid cells)${r.repeated > 0 ? `; ${r.repeated} runs found twice, identical, kept once` : ''}`,
          );
          printExpectations(agg);
          console.log(
            `output: ${out}/{sweep.json,runs.jsonl,runs.csv,runs.json,aggregate.json${report ? ',report.html,charts/' : ''}}`,
          );
        }
        const violated = agg?.cells.some((c) => c.incomplete > 0) ?? false;
        process.exitCode = violated ? exitCodes.checkFailed : exitCodes.ok;
      } finally {
        progress.stop();
        interrupt.dispose();
      }
    });
}
