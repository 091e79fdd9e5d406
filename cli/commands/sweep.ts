import { join } from 'node:path';
import type { Command } from 'commander';
import { writeReport } from '../../reports/writeReport.ts';
import { type GridAxis, parseGridFlag } from '../../sim/sweep/parseGrid.ts';
import { parseSeeds } from '../../sim/sweep/parseSeeds.ts';
import { sweep } from '../../sim/sweep/sweep.ts';
import { SweepSpecError } from '../../sim/sweep/sweepErrors.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';
import { createProgress, onInterrupt } from '../progress.ts';
import { resolveScenario } from './run.ts';

interface SweepOptions {
  seeds: string;
  grid: string[];
  days?: string;
  scale: string;
  out?: string;
  threads?: string;
  report: boolean;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

const usage = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    if (e instanceof SweepSpecError) throw new UsageError(e.message, e.field);
    throw e;
  }
};

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description(
      'Run a scenario over many seeds and a parameter grid on a thread pool; resumable; writes runs.csv/json, aggregate.json and a report',
    )
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
    .option('--no-report', 'do not write report.html and charts/')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action(async (scenarioArg: string, o: SweepOptions) => {
      const scenario = await resolveScenario(scenarioArg);
      const seeds = usage(() => parseSeeds(o.seeds));
      const grid: GridAxis[] = usage(() => o.grid.map(parseGridFlag));
      const days =
        o.days === undefined
          ? undefined
          : parseNumber('--days', o.days, { integer: true, min: 1, max: 3650 });
      const scale = parseNumber('--scale', o.scale, { minExclusive: 0, max: 100 });
      const threads =
        o.threads === undefined
          ? undefined
          : parseNumber('--threads', o.threads, { integer: true, min: 1, max: 256 });
      const dir = o.out ?? join('out', 'sweeps', scenario.name);
      const progress = createProgress(
        'sweeping',
        seeds.length * grid.reduce((n, a) => n * a.values.length, 1),
      );
      const interrupt = onInterrupt();
      try {
        const r = await sweep({
          scenario,
          seeds,
          grid,
          days,
          scale,
          dir,
          commit: gitCommit(),
          threads,
          shouldStop: () => interrupt.requested,
          onProgress: (done) => progress.update(done),
        }).catch((e: unknown) =>
          usage(() => {
            throw e;
          }),
        );
        progress.stop();
        const report = o.report && r.aggregate.runs > 0 ? writeReport({ dir }) : null;
        const failing = Object.entries(r.aggregate.expectationFailure).filter(
          ([, f]) => f.failed > 0,
        );
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
        else printSweep(out, failing);
        const violated = r.aggregate.cells.some((c) => c.incomplete > 0) && !r.stopped;
        process.exitCode = violated ? exitCodes.checkFailed : exitCodes.ok;
      } finally {
        progress.stop();
        interrupt.dispose();
      }
    });
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
  failing: Array<[string, { failed: number; runs: number; probability: number }]>,
): void {
  console.log(
    `sweep: ${o.ran} runs now, ${o.skipped} resumed, ${o.total} in all (${o.cells} grid cells)${o.stopped ? ' — STOPPED early, re-run the same command to resume' : ''}`,
  );
  if (failing.length === 0) console.log('expectations: none failed in any run');
  for (const [label, f] of failing)
    console.log(
      `expectation failed in ${f.failed}/${f.runs} runs (p = ${f.probability}): ${label}`,
    );
  console.log(
    `output: ${o.outDir}/{runs.jsonl,runs.csv,runs.json,aggregate.json${o.report ? ',report.html,charts/' : ''}}`,
  );
}
