import { performance } from 'node:perf_hooks';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  type MmcReport,
  measureMmc,
  warmupFractionDefault,
} from '../../sim/examples/measureMmc.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';

type BenchEngineOptions = {
  servers: string;
  rho: string;
  customers: string;
  seed: string;
  tolerance?: string;
  warmup: string;
  json?: boolean;
};

// Below this many customers the statistical error of Wq dwarfs 2%, so the check is off
// unless --tolerance is given explicitly.
const checkCustomersMin = 1_000_000;
const toleranceDefault = 0.02;

/** `onesim bench engine`: M/M/c on the event engine; throughput and agreement with Erlang C. */
export function registerBenchEngine(program: Command): void {
  // Other bench subcommands may share the `bench` parent; reuse it if it exists.
  const bench =
    program.commands.find((command) => command.name() === 'bench') ??
    program.command('bench').description('Benchmarks');
  bench
    .command('engine')
    .description(
      'Simulate an M/M/c queue on the discrete-event engine; report customers/s, events/s and ' +
        'the simulated mean wait Wq against Erlang C. Exit 1 if |relative error| > tolerance ' +
        `(checked when --customers >= ${checkCustomersMin} or --tolerance is given).`,
    )
    .option('--servers <c>', 'servers c (integer 1..100000)', '8')
    .option('--rho <r>', 'utilization ρ = λ/(cμ), in (0, 1)', '0.9')
    .option('--customers <n>', 'customers, warm-up included (integer 1..1e9; 1e6 ok)', '1000000')
    .option('--seed <s>', 'root seed (number or string)', '1')
    .option('--tolerance <x>', `allowed |relative error| of Wq (default ${toleranceDefault})`)
    .option(
      '--warmup <f>',
      'fraction of customers discarded as warm-up, in [0, 1)',
      String(warmupFractionDefault),
    )
    .option('--json', 'print one JSON object as the last line of stdout')
    .action((options: BenchEngineOptions) => runBenchEngine(options));
}

function runBenchEngine(options: BenchEngineOptions): void {
  const servers = parseNumber('--servers', options.servers, {
    integer: true,
    min: 1,
    max: 100_000,
  });
  const rho = parseNumber('--rho', options.rho, { minExclusive: 0, maxExclusive: 1 });
  const customers = parseNumber('--customers', options.customers, {
    integer: true,
    min: 1,
    max: 1e9,
  });
  const warmupFraction = parseNumber('--warmup', options.warmup, { min: 0, maxExclusive: 1 });
  const tolerance =
    options.tolerance === undefined
      ? toleranceDefault
      : parseNumber('--tolerance', options.tolerance, { minExclusive: 0 });
  if (options.seed.length === 0) throw new UsageError('--seed must not be empty', '--seed');
  // Kept as text: seeds 42 and '42' derive the same streams, and long digit strings stay exact.
  const seed = options.seed;
  const checked = options.tolerance !== undefined || customers >= checkCustomersMin;

  const bar = process.stderr.isTTY
    ? new SingleBar({ stream: process.stderr, etaBuffer: 20 })
    : undefined;
  bar?.start(customers, 0);
  const report = measureMmc({
    servers,
    rho,
    customers,
    seed,
    warmupFraction,
    wallClockMs: () => performance.now(),
    onProgress: bar === undefined ? undefined : (arrived) => bar.update(arrived),
  });
  bar?.stop();
  const passed = !checked || Math.abs(report.relativeError) <= tolerance;
  const command =
    `onesim bench engine --servers ${servers} --rho ${rho} --customers ${customers} ` +
    `--seed ${JSON.stringify(String(seed))} --warmup ${warmupFraction}` +
    (options.tolerance === undefined ? '' : ` --tolerance ${tolerance}`);
  if (options.json) {
    const record = { ...report, commit: gitCommit(), tolerance, checked, passed, command };
    process.stdout.write(`${JSON.stringify(record)}\n`);
  } else {
    printReport(report, { tolerance, checked, passed, command });
  }
  if (!passed) process.exitCode = exitCodes.checkFailed;
}

function printReport(
  report: MmcReport,
  check: { tolerance: number; checked: boolean; passed: boolean; command: string },
): void {
  const verdict = !check.checked
    ? 'not checked (customers < 1e6 and no --tolerance)'
    : check.passed
      ? `ok (|error| <= ${check.tolerance * 100}%)`
      : `FAILED (|error| > ${check.tolerance * 100}%)`;
  const lines = [
    `M/M/c  c=${report.servers}  rho=${report.rho}  customers=${report.customers}  seed=${report.seed}  warm-up=${report.warmupFraction}`,
    `  customers/s     ${Math.round(report.customersPerSec).toLocaleString('en-US')}`,
    `  events/s        ${Math.round(report.eventsPerSec).toLocaleString('en-US')}`,
    `  Wq simulated    ${(report.waitQueueMeanMsSimulated / 1000).toFixed(3)} s  (± ${(report.waitQueueStdErrMs / 1000).toFixed(3)} s std err)`,
    `  Wq Erlang C     ${(report.waitQueueMeanMsErlangC / 1000).toFixed(3)} s  (P(wait)=${report.waitProbabilityErlangC.toPrecision(4)})`,
    `  relative error  ${(report.relativeError * 100).toFixed(2)}%  (std err ${(report.relativeStdErr * 100).toFixed(2)}%)  ${verdict}`,
    `  reproduce:      ${check.command}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
