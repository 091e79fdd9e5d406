import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { toJsonData, toJsonText } from '../../protocol/actionSchema.ts';
import { resolveParams } from '../../protocol/index.ts';
import { writeReport } from '../../reports/writeReport.ts';
import { readCapacityProfile, withProfileWorkers } from '../../scenarios/fromCapacityProfile.ts';
import { loadScenario } from '../../scenarios/loadScenario.ts';
import { failsRequirement } from '../../sim/expectations/evaluateExpectations.ts';
import { formatExpectations } from '../../sim/expectations/formatExpectations.ts';
import { writeFileAtomic } from '../../sim/io/writeFileAtomic.ts';
import { workersCsv } from '../../sim/record/workerLedger.ts';
import { runSimulation } from '../../sim/run/runSimulation.ts';
import { type RunSummary, summaryOf } from '../../sim/run/summary.ts';
import { writeRunOutputs } from '../../sim/run/writeRunOutputs.ts';
import type { Scenario } from '../../sim/scenario/scenarioSchema.ts';
import {
  checkpointEveryActionsDefault,
  TRACE_FORMAT,
  TraceWriter,
} from '../../sim/trace/traceFile.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';
import { printSummary } from '../printSummary.ts';
import { createProgress, onInterrupt } from '../progress.ts';

interface RunOptions {
  workersFrom?: string;
  profileWorkers: string;
  seed: string;
  days?: string;
  out?: string;
  trace: boolean;
  checkpointEvery: string;
  checkDeterminism?: boolean;
  report: boolean;
  json?: boolean;
}

/** A named scenario or a user's file; bad ones throw InputErrors naming the field (exit 2). */
export const resolveScenario = (nameOrPath: string): Promise<Scenario> => loadScenario(nameOrPath);

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'Simulate a scenario with a seed; writes summary.json, metrics.csv and a replayable trace',
    )
    .argument(
      '<scenario>',
      'a named scenario (see `onesim scenarios`) or a path to a scenario file',
    )
    .option('--seed <n>', 'root seed of every random stream', '1')
    .option('--days <n>', 'simulated days (default: the scenario’s)')
    .option('--out <dir>', 'output folder (default: out/runs/<scenario>-seed<seed>)')
    .option('--no-trace', 'do not write trace.jsonl.gz (faster for very large runs)')
    .option(
      '--checkpoint-every <n>',
      `state hash checkpoints in the trace every n actions, beside one each simulated day (replay names the first that differs; each costs a state hash)`,
      String(checkpointEveryActionsDefault),
    )
    .option('--check-determinism', 'run twice and compare the state hash at every day start')
    .option(
      '--workers-from <profile.json>',
      'add workers with the capacity measured by `onesim bench inference` (its capacity-profile.json)',
    )
    .option('--profile-workers <n>', 'how many such workers (with --workers-from)', '1')
    .option('--no-report', 'do not write report.html and charts/ (see `onesim report`)')
    .option('--json', 'print one JSON object (the summary) as the last line of stdout')
    .action(async (scenarioArg: string, o: RunOptions) => {
      const scenario = withProfile(await resolveScenario(scenarioArg), o);
      const seed = String(parseNumber('--seed', o.seed, { integer: true, min: 0 }));
      const days =
        o.days === undefined
          ? scenario.days
          : parseNumber('--days', o.days, { integer: true, min: 1, max: 3650 });
      const out = o.out ?? join('out', 'runs', `${scenario.name}-seed${seed}`);
      const summary = await runOnce({
        scenario,
        seed,
        days,
        out,
        trace: o.trace,
        checkpointEvery: parseNumber('--checkpoint-every', o.checkpointEvery, {
          integer: true,
          min: 1,
        }),
        dayHashes: o.checkDeterminism === true,
        label: 'simulating',
      });
      let determinism: { matches: boolean; firstDifferentDay: number | null } | null = null;
      if (o.checkDeterminism && summary.status === 'completed') {
        const again = await runOnce({
          scenario,
          seed,
          days,
          out: null,
          trace: false,
          dayHashes: true,
          label: 'again',
        });
        const a = summary.dayHashes ?? [];
        const b = again.dayHashes ?? [];
        const first = a.findIndex((h, i) => h !== b[i]);
        const matches =
          first === -1 && a.length === b.length && summary.finalStateHash === again.finalStateHash;
        determinism = { matches, firstDifferentDay: first === -1 ? null : first };
      }
      if (o.report && summary.status !== 'interrupted') writeReport({ dir: out });
      if (o.json) console.log(toJsonText({ ...summary, outDir: out, determinism }));
      else {
        printSummary(summary, out);
        process.stdout.write(formatExpectations(summary.expectations));
        if (determinism)
          console.log(
            determinism.matches
              ? 'determinism: two runs gave identical state hashes on every day'
              : `determinism: FAILED, first different day ${determinism.firstDifferentDay}`,
          );
      }
      const failed =
        summary.status === 'invariant-violated' ||
        (determinism !== null && !determinism.matches) ||
        failsRequirement(summary.expectations);
      process.exitCode = failed ? exitCodes.checkFailed : exitCodes.ok;
    });
}

async function runOnce(o: {
  scenario: Scenario;
  seed: string;
  days: number;
  out: string | null;
  trace: boolean;
  checkpointEvery?: number;
  dayHashes: boolean;
  label: string;
}): Promise<RunSummary> {
  // Handlers first: a signal that arrives once the trace file exists must find them installed
  // (before that, SIGTERM's default action would end the process without a summary).
  const interrupt = onInterrupt();
  const progress = createProgress(o.label, o.days);
  try {
    const commit = gitCommit();
    const trace =
      o.out && o.trace
        ? new TraceWriter(
            join(mkdir(o.out), 'trace.jsonl.gz'),
            {
              format: TRACE_FORMAT,
              scenario: o.scenario.name,
              seed: o.seed,
              days: o.days,
              commit,
              params: toJsonData(resolveParams(o.scenario.params)),
            },
            { checkpointEveryActions: o.checkpointEvery, background: true },
          )
        : null;
    const record = await runSimulation({
      scenario: o.scenario,
      seed: o.seed,
      days: o.days,
      commit,
      trace,
      dayHashes: o.dayHashes,
      onReady: (sim) => trace?.checkpointFrom(sim.state),
      onDay: (d) => progress.update(d),
      shouldStop: () => interrupt.requested,
    });
    const summary = summaryOf(record);
    await trace?.finish({ end: true, actions: trace.count, stateHash: record.finalStateHash });
    if (o.out) {
      writeRunOutputs(o.out, summary, record.metrics);
      writeFileAtomic(join(o.out, 'workers.csv'), workersCsv(record.workers));
    }
    return summary;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}

function mkdir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

function withProfile(scenario: Scenario, o: RunOptions): Scenario {
  if (!o.workersFrom) return scenario;
  const count = parseNumber('--profile-workers', o.profileWorkers, {
    integer: true,
    min: 1,
    max: 10_000,
  });
  try {
    return withProfileWorkers(scenario, readCapacityProfile(o.workersFrom), count);
  } catch (e) {
    throw new UsageError(
      `--workers-from=${o.workersFrom}: ${(e as Error).message}`,
      '--workers-from',
    );
  }
}
