import { setMaxListeners } from 'node:events';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { type BenchResult, benchInference } from '../../gpu-harness/bench/benchInference.ts';
import {
  type BenchParameters,
  benchDefaults,
  defaultOutDir,
  inFlightDefault,
  minQueriesDefault,
} from '../../gpu-harness/bench/benchParameters.ts';
import { writeBenchOutputs } from '../../gpu-harness/bench/writeBenchOutputs.ts';
import { scenarios } from '../../gpu-harness/loadgen/testSettings.ts';
import { modelNames } from '../../gpu-harness/models/registry.ts';
import { receiptSignings } from '../../gpu-harness/receipts/createReceiptIssuer.ts';
import { batchSizeMax } from '../../gpu-harness/receipts/receiptBatch.ts';
import {
  loadReceiptKeys,
  ReceiptKeyError,
  type ReceiptKeys,
} from '../../gpu-harness/receipts/receiptKeys.ts';
import { executionProviders } from '../../gpu-harness/runtime/providers.ts';
import { graphOptimizationLevels } from '../../gpu-harness/runtime/sessionOptions.ts';
import { inFlightPerWorkerMax } from '../../gpu-harness/runtime/slotLayout.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { gitCommit } from '../gitCommit.ts';
import { onInterrupt } from '../progress.ts';

type RawFlags = Record<string, string | boolean | undefined>;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (!found)
    throw new UsageError(
      `--${flag}: expected one of ${allowed.join('|')}, got ${JSON.stringify(value)}`,
      flag,
    );
  return found;
}

function int(
  flag: string,
  value: string | boolean | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(
      `--${flag}: expected an integer in ${min}..${max}, got ${JSON.stringify(value)}`,
      flag,
    );
  }
  return n;
}

function positive(flag: string, value: string | boolean | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(
      `--${flag}: expected a positive number, got ${JSON.stringify(value)}`,
      flag,
    );
  }
  return n;
}

/** Flags → fully resolved parameters; every bad flag is a UsageError naming it and its value. */
export function resolveBenchFlags(f: RawFlags): BenchParameters {
  const modelName = oneOf('model', String(f.model ?? ''), modelNames());
  const scenario = oneOf('scenario', String(f.scenario ?? ''), scenarios);
  const provider = oneOf('ep', String(f.ep ?? benchDefaults.provider), executionProviders);
  const seed = int('seed', f.seed, benchDefaults.seed, 0, 2 ** 32 - 1);
  const d = benchDefaults;
  const p: BenchParameters = {
    modelName,
    scenario,
    provider,
    minDurationMs: int('duration-ms', f.durationMs, d.minDurationMs, 0, 86_400_000),
    minQueries: int('min-queries', f.minQueries, minQueriesDefault[scenario], 1, 10_000_000),
    maxQueries: int('max-queries', f.maxQueries, d.maxQueries, 1, 10_000_000),
    targetQps: positive('target-qps', f.targetQps),
    latencyBoundMs: positive('latency-bound-ms', f.latencyBoundMs) ?? d.latencyBoundMs,
    seed,
    intraOpThreads: int('threads', f.threads, d.intraOpThreads, 1, 256),
    interOpThreads: int('inter-op-threads', f.interOpThreads, d.interOpThreads, 1, 256),
    graphOptimizationLevel: oneOf(
      'graph-opt',
      String(f.graphOpt ?? d.graphOptimizationLevel),
      graphOptimizationLevels,
    ),
    warmupIterations: int('warmup', f.warmup, d.warmupIterations, 0, 100_000),
    workers: int('workers', f.workers, d.workers, 1, 64),
    inFlightPerWorker: int(
      'in-flight',
      f.inFlight,
      inFlightDefault[scenario],
      1,
      inFlightPerWorkerMax,
    ),
    inline: f.inline === true,
    receiptSigning: oneOf(
      'receipt-signing',
      String(f.receiptSigning ?? d.receiptSigning),
      receiptSignings,
    ),
    batchSize: int('batch-size', f.batchSize, d.batchSize, 1, batchSizeMax),
    keyFile: typeof f.keyFile === 'string' ? f.keyFile : null,
    sampleCount: int('samples', f.samples, d.sampleCount, 1, 4096),
    searchSteps: int('search-steps', f.searchSteps, d.searchSteps, 1, 20),
    outDir:
      typeof f.out === 'string' ? f.out : defaultOutDir({ modelName, scenario, provider, seed }),
  };
  if (p.inline && p.workers !== 1) {
    throw new UsageError(`--inline: needs --workers 1, got ${p.workers}`, 'inline');
  }
  if (p.maxQueries < p.minQueries) {
    throw new UsageError(
      `--max-queries: ${p.maxQueries} is below --min-queries ${p.minQueries}`,
      'max-queries',
    );
  }
  return p;
}

const fmt = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined ? 'n/a' : v.toFixed(digits);

function report(
  bench: BenchResult,
  paths: { resultPath: string; profilePath: string | null },
): string[] {
  const r = bench.result;
  const rt = bench.runtime;
  const lines = [
    `model ${bench.model.name} (${bench.model.idBytes32}), ${bench.model.cost.cu} CU per ${bench.model.cost.per}`,
    `provider ${rt.provider}${rt.fallbackReason ? ` (requested ${rt.requestedProvider}: ${rt.fallbackReason})` : ''}, onnxruntime ${rt.ortVersion}`,
    `machine ${rt.machine.cpuModel}, ${rt.machine.logicalCores} cores, ${(rt.machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, gpus: ${rt.machine.gpus.join(', ') || 'none'}`,
  ];
  if (bench.serverSearch) {
    for (const s of bench.serverSearch)
      lines.push(
        `  server probe ${fmt(s.targetQps, 1)} QPS: ${s.valid ? 'VALID' : 'INVALID'} (p99 ${fmt(s.p99Ms)} ms)`,
      );
  }
  if (r) {
    const l = r.latency;
    lines.push(`scenario ${r.scenario}: ${r.queriesCompleted} queries in ${fmt(r.wallMs, 0)} ms`);
    lines.push(
      `latency ms: p50 ${fmt(l?.p50Ms)} p90 ${fmt(l?.p90Ms)} p99 ${fmt(l?.p99Ms)} mean ${fmt(l?.meanMs)}`,
    );
    if (r.firstToken)
      lines.push(
        `time to first token ms: p50 ${fmt(r.firstToken.p50Ms)} p90 ${fmt(r.firstToken.p90Ms)}; time per output token ms: p50 ${fmt(r.timePerOutputToken?.p50Ms)}`,
      );
    lines.push(
      `throughput: ${fmt(r.throughput.queriesPerSecond, 1)} queries/s, ${fmt(r.throughput.cuPerSecond, 0)} CU/s${r.throughput.tokensPerSecond ? `, ${fmt(r.throughput.tokensPerSecond, 1)} tokens/s` : ''}`,
    );
    lines.push(`headline: ${r.headline.name} = ${fmt(r.headline.value)} ${r.headline.unit}`);
    if (r.earlyStopping && 'estimateMs' in r.earlyStopping)
      lines.push(`early stopping p90 estimate: ${fmt(r.earlyStopping.estimateMs)} ms`);
    lines.push(
      `result is ${r.validity.valid ? 'VALID' : 'INVALID'}${r.validity.reasons.length ? `: ${r.validity.reasons.join('; ')}` : ''}`,
    );
  } else {
    lines.push('result is INVALID: no passing run');
  }
  const rc = bench.receipts;
  lines.push(
    `receipts: ${rc.count} (EIP-712 ${rc.signing === 'batch' ? `batch-signed, ${rc.batchSize} per root` : 'signed one by one'}, and ed25519 worker format), keys from ${rc.keySource}; worker ${rc.workers.eip712}`,
  );
  if (rc.notice) lines.push(rc.notice);
  if (bench.interrupted) lines.push('interrupted: finished queries and their receipts were kept');
  lines.push(
    `wrote ${paths.resultPath}${paths.profilePath ? `, ${paths.profilePath}` : ''} and ${rc.path}`,
  );
  lines.push(`reproduce: ${bench.command}`);
  return lines;
}

function keysFor(p: BenchParameters): ReceiptKeys {
  try {
    return loadReceiptKeys({ keyFile: p.keyFile, allowEphemeral: true });
  } catch (error) {
    if (error instanceof ReceiptKeyError) throw new UsageError(error.message, 'key-file');
    throw error;
  }
}

async function action(flags: RawFlags): Promise<void> {
  const parameters = resolveBenchFlags(flags);
  const keys = keysFor(parameters);
  const interrupt = onInterrupt();
  // Every queued query listens for the abort; Offline queues thousands at once.
  setMaxListeners(0, interrupt.signal);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: '{phase} {bar} {value} queries' },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(parameters.minQueries, 0, { phase: parameters.scenario });
  try {
    const bench = await benchInference({
      parameters,
      keys,
      gitCommit: gitCommit(),
      signal: interrupt.signal,
      onProgress: (e) => bar?.update(e.queriesDone, { phase: e.phase }),
    });
    bar?.stop();
    const paths = writeBenchOutputs(bench, parameters.outDir);
    for (const line of report(bench, paths)) process.stdout.write(`${line}\n`);
    if (flags.json) process.stdout.write(`${JSON.stringify(bench)}\n`);
    process.exitCode = bench.valid ? exitCodes.ok : exitCodes.checkFailed;
  } finally {
    bar?.stop();
    interrupt.dispose();
  }
}

/** `onesim bench inference`: MLPerf-style benchmark of one zoo model on this machine. */
export function registerBenchInference(program: Command): void {
  const bench =
    program.commands.find((c) => c.name() === 'bench') ??
    program.command('bench').description('Benchmarks');
  bench
    .command('inference')
    .description('Benchmark a zoo model with onnxruntime (SingleStream, Server or Offline)')
    .requiredOption('--model <name>', `zoo model: ${modelNames().join('|')}`)
    .requiredOption('--scenario <name>', scenarios.join('|'))
    .option(
      '--ep <provider>',
      `execution provider: ${executionProviders.join('|')} (falls back to cpu)`,
    )
    .option('--duration-ms <n>', `minimum duration (default ${benchDefaults.minDurationMs})`)
    .option(
      '--min-queries <n>',
      'minimum query count (default: single-stream 256, server/offline 1024)',
    )
    .option('--max-queries <n>', 'hard bound on queries')
    .option(
      '--target-qps <q>',
      'server: arrival rate (omit to search); offline: expected samples/s',
    )
    .option(
      '--latency-bound-ms <l>',
      `server p99 latency bound (default ${benchDefaults.latencyBoundMs})`,
    )
    .option('--seed <s>', 'seed of inputs and arrivals (default 1)')
    .option('--threads <n>', 'onnxruntime intra-op threads per worker (default 1)')
    .option('--inter-op-threads <n>', 'onnxruntime inter-op threads (default 1)')
    .option('--graph-opt <level>', graphOptimizationLevels.join('|'))
    .option('--warmup <n>', 'warm-up runs per worker (default 10)')
    .option('--workers <n>', 'worker threads, one session each (default 1)')
    .option(
      '--in-flight <n>',
      `queries each worker thread holds at once, 1..${inFlightPerWorkerMax} (default 16 offline, else 2)`,
    )
    .option('--inline', 'run the session on the main thread (needs --workers 1)')
    .option(
      '--receipt-signing <mode>',
      `EIP-712 receipts: ${receiptSignings.join('|')} (default single)`,
    )
    .option(
      '--batch-size <n>',
      'receipts per signed Merkle root with --receipt-signing batch (default 256)',
    )
    .option(
      '--key-file <path>',
      'JSON {"secp256k1": "0x…", "ed25519": "<PEM or hex>"}; else ONESIM_SECP256K1_KEY and ONESIM_ED25519_KEY; else ephemeral keys',
    )
    .option('--samples <n>', 'distinct inputs (default 64)')
    .option('--search-steps <n>', 'server QPS search: bisection steps (default 5)')
    .option('--out <dir>', 'output folder (default out/bench/<model>-<scenario>-<ep>-seed<seed>)')
    .option('--json', 'print the result as one JSON object on the last stdout line')
    .action(action);
}
