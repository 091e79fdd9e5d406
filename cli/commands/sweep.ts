import { join } from 'node:path';
import type { Command } from 'commander';
import { writeReport } from '../../reports/writeReport.ts';
import type { SweepAggregate } from '../../sim/sweep/aggregateSweep.ts';
import { type GridAxis, parseGridFlag } from '../../sim/sweep/parseGrid.ts';
import { parseSeeds } from '../../sim/sweep/parseSeeds.ts';
import { resolveShard, type ShardChoice } from '../../sim/sweep/shardFromEnv.ts';
import { sweep, sweepShard } from '../../sim/sweep/sweep.ts';
import { exitCodes } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';
import { createProgress, onInterrupt, type Progress } from '../progress.ts';
import { resolveScenario } from './run.ts';
import { registerSweepMerge } from './sweepMerge.ts';

interface SweepOptions {
  seeds: string;
  grid: string[];
  days?: string;
  scale: string;
  out?: string;
  threads?: string;
  /** `--shard K/N`; false with `--no-shard`. */
  shard?: string | false;
  shards?: string;
  report: boolean;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** A progress bar started at the first report, when the total is known. */
export function lazyProgress(label: string): {
  update: (done: number, total: number) => void;
  stop: () => void;
} {
  let bar: Progress | null = null;
  return {
    update: (done, total) => {
      bar ??= createProgress(label, total);
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}

export function registerSweep(program: Command): void {
  const command = program
    .command('sweep')
    .description(
      'Run a scenario over many seeds and a parameter grid on a thread pool; resumable; writes runs.csv/json, aggregate.json and a report. With --shard K/N (or a Kubernetes, Slurm or AWS Batch array index) it runs one slice; `onesim sweep merge` joins the slices',
    )
    // `sweep merge --out … --json`: those flags belong to merge, not to sweep.
    .enablePositionalOptions()
    .argument('<scenario>', 'a named scenario or a path to a scenario file')
    .option('--seeds <list>', 'seeds: A..B, a comma list, or both', '1..20')
    .option(
      '--grid <key=v1,v2>',
      'sweep a dotted scenario field or params.* value (repeatable; one value = an override)',
      collect,
      [],
    )
    .option('--days <n>', 'simulated days of each run (default: the scenario’s)')
    .option('--scale <f>', 'network size factor: holders, workers, sponsors, treasury × f', '1')
    .option('--out <dir>', 'output folder (default: out/sweeps/<scenario>); re-running resumes it')
    .option('--threads <n>', 'pool threads (default: CPU cores)')
    .option(
      '--shard <K/N>',
      'run the K-th of N slices of the work list (K from 0) into shard-K-of-N files in --out; default: the scheduler’s JOB_COMPLETION_INDEX (with --shards), SLURM_ARRAY_TASK_ID or AWS_BATCH_JOB_ARRAY_INDEX when set',
    )
    .option('--no-shard', 'run the whole sweep even where a scheduler’s array index is set')
    .option('--shards <n>', 'the number of shards (Kubernetes Indexed Jobs: the completions)')
    .option('--no-report', 'do not write report.html and charts/')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action(async (scenarioArg: string, o: SweepOptions) => {
      const scenario = await resolveScenario(scenarioArg);
      const seeds = parseSeeds(o.seeds);
      const grid: GridAxis[] = o.grid.map(parseGridFlag);
      const days =
        o.days === undefined
          ? undefined
          : parseNumber('--days', o.days, { integer: true, min: 1, max: 3650 });
      const scale = parseNumber('--scale', o.scale, { minExclusive: 0, max: 100 });
      const threads =
        o.threads === undefined
          ? undefined
          : parseNumber('--threads', o.threads, { integer: true, min: 1, max: 256 });
      const shards =
        o.shards === undefined
          ? undefined
          : parseNumber('--shards', o.shards, { integer: true, min: 1, max: 100_000 });
      const choice =
        o.shard === false
          ? null
          : resolveShard({ shard: o.shard || undefined, shards, env: process.env });
      const dir = o.out ?? join('out', 'sweeps', scenario.name);
      const common = { scenario, seeds, grid, days, scale, dir, commit: gitCommit(), threads };
      if (choice !== null) return runShard(common, choice, o);
      const progress = createProgress(
        'sweeping',
        seeds.length * grid.reduce((n, a) => n * a.values.length, 1),
      );
      const interrupt = onInterrupt();
      try {
        const r = await sweep({
          ...common,
          shouldStop: () => interrupt.requested,
          onProgress: (done) => progress.update(done),
        });
        progress.stop();
        const report = o.report && r.aggregate.runs > 0 ? writeReport({ dir }) : null;
        const out = {
          outDir: dir,
          total: r.total,
          skipped: r.skipped,
          ran: r.ran,
          stopped: r.stopped,
          runs: r.aggregate.runs,
          cells: r.aggregate.cells.length,
          expectationFailure: r.aggregate.expectationFailure,
          report: report?.html ?? null,
        };
        if (r.commitChanged)
          process.stderr.write(
            `onesim: warning: ${dir} was started at commit ${r.commitChanged.slice(0, 10)}; runs from both commits are mixed\n`,
          );
        if (o.json) console.log(JSON.stringify(out));
        else printSweep(out, r.aggregate);
        const violated = r.aggregate.cells.some((c) => c.incomplete > 0) && !r.stopped;
        process.exitCode = violated ? exitCodes.checkFailed : exitCodes.ok;
      } finally {
        progress.stop();
        interrupt.dispose();
      }
    });
  registerSweepMerge(command);
}

/**
 * One slice: its runs go to shard-K-of-N.{json,jsonl} in --out. Exit 0 once the slice is
 * finished, whatever the runs found: the checks are the merge's, and a scheduler would retry a
 * failed index for nothing.
 */
async function runShard(
  common: Omit<Parameters<typeof sweepShard>[0], 'shard'>,
  choice: ShardChoice,
  o: SweepOptions,
): Promise<void> {
  const { shard } = choice;
  if (!o.json && choice.source !== '--shard')
    process.stderr.write(
      `onesim: shard ${shard.index}/${shard.count} from ${choice.source} (the scheduler's array index)\n`,
    );
  const interrupt = onInterrupt();
  const progress = lazyProgress(`shard ${shard.index}/${shard.count}`);
  try {
    const r = await sweepShard({
      ...common,
      shard,
      shouldStop: () => interrupt.requested,
      onProgress: progress.update,
    });
    progress.stop();
    if (r.commitChanged)
      process.stderr.write(
        `onesim: warning: shard ${shard.index}/${shard.count} in ${common.dir} was finished at commit ${r.commitChanged.slice(0, 10)}; left as it is\n`,
      );
    const out = {
      outDir: common.dir,
      shard: { ...shard, source: choice.source },
      total: r.total,
      skipped: r.skipped,
      ran: r.ran,
      stopped: r.stopped,
      runs: r.skipped + r.ran,
      sweepRuns: r.totalRuns,
      files: { manifest: r.manifestPath, runs: r.runsPath },
    };
    if (o.json) console.log(JSON.stringify(out));
    else
      console.log(
        `shard ${shard.index}/${shard.count}: ${r.ran} runs now, ${r.skipped} resumed, ${r.total} in this shard of ${r.totalRuns}${r.stopped ? ' — STOPPED early, re-run the same command to resume' : ''}\noutput: ${r.runsPath}\nwhen every shard is done: onesim sweep merge ${common.dir}`,
      );
    process.exitCode = exitCodes.ok;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}

function printSweep(
  o: {
    outDir: string;
    total: number;
    skipped: number;
    ran: number;
    stopped: boolean;
    cells: number;
    report: string | null;
  },
  aggregate: SweepAggregate,
): void {
  console.log(
    `sweep: ${o.ran} runs now, ${o.skipped} resumed, ${o.total} in all (${o.cells} grid cells)${o.stopped ? ' — STOPPED early, re-run the same command to resume' : ''}`,
  );
  printExpectations(aggregate);
  console.log(
    `output: ${o.outDir}/{runs.jsonl,runs.csv,runs.json,aggregate.json${o.report ? ',report.html,charts/' : ''}}`,
  );
}

/** The expectations that failed in some run, with their failure probability. */
export function printExpectations(aggregate: SweepAggregate): void {
  const failing = Object.entries(aggregate.expectationFailure).filter(([, f]) => f.failed > 0);
  if (failing.length === 0) console.log('expectations: none failed in any run');
  for (const [label, f] of failing)
    console.log(
      `expectation failed in ${f.failed}/${f.runs} runs (p = ${f.probability}): ${label}`,
    );
}
