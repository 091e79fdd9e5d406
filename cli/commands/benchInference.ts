import { setMaxListeners } from 'node:events';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { BenchResult } from '../../gpu-harness/bench/benchInference.ts';
import {
  type BenchParameters,
  benchDefaults,
  defaultOutDir,
  inFlightDefault,
  type ModelFileParameters,
  minQueriesDefault,
} from '../../gpu-harness/bench/benchParameters.ts';
import type { BenchPlan, Pilot } from '../../gpu-harness/bench/planBench.ts';
import { loadgenScenarios } from '../../gpu-harness/loadgen/testSettings.ts';
import type { LoadedModel } from '../../gpu-harness/models/loadedModel.ts';
import { parseShapeFlag } from '../../gpu-harness/models/modelFile.ts';
import { modelNames } from '../../gpu-harness/models/registry.ts';
import { receiptSignings } from '../../gpu-harness/receipts/createReceiptIssuer.ts';
import { batchSizeMax } from '../../gpu-harness/receipts/receiptBatch.ts';
import { loadReceiptKeys, type ReceiptKeys } from '../../gpu-harness/receipts/receiptKeys.ts';
import { executionProviders } from '../../gpu-harness/runtime/providers.ts';
import { graphOptimizationLevels } from '../../gpu-harness/runtime/sessionOptions.ts';
import { inFlightPerWorkerMax } from '../../gpu-harness/runtime/slotLayout.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { gitCommit } from '../gitCommit.ts';
import { onInterrupt } from '../progress.ts';

type RawFlags = Record<string, string | boolean | string[] | undefined>;

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
  value: string | boolean | string[] | undefined,
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

function positive(flag: string, value: string | boolean | string[] | undefined): number | null {
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

/** A zoo name, or a path to an operator's .onnx file with its --shape/--output/--cu/--inputs. */
function modelOf(f: RawFlags): { modelName: string; modelFile: ModelFileParameters | null } {
  const value = String(f.model ?? '');
  const isFile = value.endsWith('.onnx') || value.includes('/');
  const fileOnly = ['shape', 'output', 'cu', 'inputs'].filter((k) => f[k] !== undefined);
  if (!isFile) {
    if (fileOnly.length > 0)
      throw new UsageError(`--${fileOnly[0]}: only with --model FILE.onnx`, fileOnly[0]);
    return { modelName: oneOf('model', value, modelNames()), modelFile: null };
  }
  const shapes: Record<string, number[]> = {};
  for (const s of (f.shape as string[] | undefined) ?? []) {
    try {
      const [name, dims] = parseShapeFlag(s);
      shapes[name] = dims;
    } catch (error) {
      throw new UsageError((error as Error).message, 'shape');
    }
  }
  const cu = int('cu', f.cu, 0, 1, Number.MAX_SAFE_INTEGER);
  return {
    modelName: value.replace(/^.*\//, '').replace(/\.onnx$/i, ''),
    modelFile: {
      path: value,
      shapes,
      output: typeof f.output === 'string' ? f.output : null,
      cu: f.cu === undefined ? null : cu,
      inputsFile: typeof f.inputs === 'string' ? f.inputs : null,
    },
  };
}

/** Flags → parameters (null where the run is planned); every bad flag is a UsageError naming it and its value. */
export function resolveBenchFlags(f: RawFlags): BenchParameters {
  const { modelName, modelFile } = modelOf(f);
  const scenario = oneOf('scenario', String(f.scenario ?? ''), loadgenScenarios);
  const provider = oneOf('ep', String(f.ep ?? benchDefaults.provider), executionProviders);
  const seed = int('seed', f.seed, benchDefaults.seed, 0, 2 ** 32 - 1);
  const d = benchDefaults;
  const p: BenchParameters = {
    modelName,
    modelFile,
    scenario,
    provider,
    minDurationMs: int('duration-ms', f.durationMs, d.minDurationMs, 0, 86_400_000),
    minQueries:
      f.minQueries === undefined ? null : int('min-queries', f.minQueries, 0, 1, 10_000_000),
    maxQueries: int('max-queries', f.maxQueries, d.maxQueries, 1, 10_000_000),
    targetQps: positive('target-qps', f.targetQps),
    latencyBoundMs: positive('latency-bound-ms', f.latencyBoundMs),
    lagBoundMs: positive('lag-bound-ms', f.lagBoundMs),
    peakGflops: positive('peak-gflops', f.peakGflops),
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
    searchSteps: int('search-steps', f.searchSteps, d.searchSteps, 0, 20),
    outDir:
      typeof f.out === 'string' ? f.out : defaultOutDir({ modelName, scenario, provider, seed }),
  };
  if (p.inline && p.workers !== 1) {
    throw new UsageError(`--inline: needs --workers 1, got ${p.workers}`, 'inline');
  }
  if (p.minQueries !== null && p.maxQueries < p.minQueries) {
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
  const m = bench.model;
  const lines = [
    `model ${m.name} (${m.idBytes32}), ${m.cost.cu} CU per ${m.cost.per}, ${fmt(m.flopsPerQuery / 1e9, 3)} GFLOP per inference, ${fmt(m.parameterCount / 1e6, 2)} M weights${m.source.kind === 'file' ? `, from ${m.source.path} (CU from ${m.source.cuFrom === 'flag' ? '--cu' : 'its FLOP count'})` : ''}`,
    `provider ${rt.provider}${rt.fallbackReason ? ` (requested ${rt.requestedProvider}: ${rt.fallbackReason})` : ''}, onnxruntime ${rt.ortVersion}${
      rt.placement
        ? `; nodes by provider: ${Object.entries(rt.placement)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`
        : ''
    }`,
    `machine ${rt.machine.cpuModel}, ${rt.machine.logicalCores} cores, ${(rt.machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, gpus: ${rt.machine.gpus.join(', ') || 'none'}`,
  ];
  if (rt.gpu)
    lines.push(
      `gpu: ${rt.gpu.devices.map((d) => d.name).join(', ') || 'unknown'}, driver ${rt.gpu.driverVersion ?? 'unknown'}, CUDA ${rt.gpu.cudaDriverApi ?? 'unknown'}; libraries ${rt.gpu.libraries.map((l) => `${l.name} ${l.version ?? '?'}`).join(', ') || 'none found'}`,
    );
  for (const note of bench.plan.notes) lines.push(`plan: ${note}`);
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
    const c = bench.compute;
    if (c?.gflopsPerSecond !== null && c?.gflopsPerSecond !== undefined)
      lines.push(
        `compute: ${fmt(c.gflopsPerSecond, 2)} GFLOP/s achieved${c.peakShare !== null ? ` = ${fmt(c.peakShare * 100, 1)} % of the stated ${c.peakGflops} GFLOP/s peak` : ' (--peak-gflops P gives the share of the peak)'}`,
      );
    const g = r.generator;
    if (g.sendLag)
      lines.push(
        `load generator: send lag p50 ${fmt(g.sendLag.p50Ms)} ms p99 ${fmt(g.sendLag.p99Ms)} ms (bound ${fmt(g.lagBoundMs, 2)} ms), sent ${fmt(g.sentQps, 1)} QPS for ${fmt(g.scheduledQps, 1)} scheduled; client overhead per query p50 ${fmt(g.clientOverhead?.p50Ms)} ms p99 ${fmt(g.clientOverhead?.p99Ms)} ms`,
      );
    else if (g.clientOverhead)
      lines.push(
        `load generator: client overhead per query p50 ${fmt(g.clientOverhead.p50Ms)} ms p99 ${fmt(g.clientOverhead.p99Ms)} ms`,
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
  return loadReceiptKeys({ keyFile: p.keyFile, allowEphemeral: true });
}

/** An operator's file, opened and checked; a bad one is a ModelFileError with the reason (exit 2). */
async function loadFile(p: BenchParameters): Promise<LoadedModel | undefined> {
  const f = p.modelFile;
  if (!f) return undefined;
  const { loadModelFile } = await import('../../gpu-harness/models/loadModelFile.ts');
  const { model } = await loadModelFile({
    path: f.path,
    shapes: new Map(Object.entries(f.shapes)),
    output: f.output,
    cu: f.cu,
    inputsFile: f.inputsFile,
  });
  return model;
}

function planLine(plan: BenchPlan, pilot: Pilot | null): string {
  const measured = pilot
    ? `pilot: ${fmt(pilot.singleLatencyMs)} ms per query alone, ${fmt(pilot.offlineQps, 1)} queries/s at once; `
    : '';
  const eta = plan.expectedMs !== null ? `, about ${fmt(plan.expectedMs / 1000, 0)} s` : '';
  return `${measured}planned ${plan.expectedQueries ?? `≥ ${plan.minQueries}`} queries${eta}\n`;
}

async function action(flags: RawFlags): Promise<void> {
  const parameters = resolveBenchFlags(flags);
  const keys = keysFor(parameters);
  const model = await loadFile(parameters);
  // onnxruntime loads here, not when the CLI starts.
  const { benchInference } = await import('../../gpu-harness/bench/benchInference.ts');
  const { writeBenchOutputs } = await import('../../gpu-harness/bench/writeBenchOutputs.ts');
  const interrupt = onInterrupt();
  // Every queued query listens for the abort; Offline queues thousands at once.
  setMaxListeners(0, interrupt.signal);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: '{phase} {bar} {value} queries' },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(parameters.minQueries ?? 0, 0, { phase: parameters.scenario });
  try {
    const bench = await benchInference({
      parameters,
      ...(model ? { model } : {}),
      onPlan: (plan, pilot) => {
        bar?.setTotal(plan.expectedQueries ?? plan.minQueries);
        if (!bar) process.stderr.write(planLine(plan, pilot));
      },
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
    .description(
      'Benchmark a zoo model or your own ONNX file with onnxruntime (SingleStream, Server or Offline)',
    )
    .requiredOption(
      '--model <name|file.onnx>',
      `zoo model (${modelNames().join('|')}) or your own ONNX file`,
    )
    .option(
      '--shape <name=AxBx…>',
      "with a file: bind an input's dynamic dims (repeat per input), e.g. input_ids=1x128",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--output <name>', 'with a file: the output receipts bind (default: the first)')
    .option('--cu <n>', "with a file: CU per request (default: from the graph's FLOP count)")
    .option(
      '--inputs <file.json>',
      'with a file: inputs as JSON {name: values} or a list of them (default: generated from --seed)',
    )
    .option('--peak-gflops <g>', "the device's peak GFLOP/s: report the share achieved")
    .requiredOption('--scenario <name>', loadgenScenarios.join('|'))
    .option(
      '--ep <provider>',
      `execution provider: ${executionProviders.join('|')} (falls back to cpu)`,
    )
    .option('--duration-ms <n>', `minimum duration (default ${benchDefaults.minDurationMs})`)
    .option(
      '--min-queries <n>',
      `minimum query count (default planned: single-stream ${minQueriesDefault['single-stream']}, server ${minQueriesDefault.server}, offline ${minQueriesDefault.offline} samples or expected QPS × duration × 1.1)`,
    )
    .option('--max-queries <n>', 'hard bound on queries')
    .option(
      '--target-qps <q>',
      'server: arrival rate (default: half the measured Offline rate); offline: expected samples/s (default: measured)',
    )
    .option(
      '--latency-bound-ms <l>',
      "server p99 latency bound (default: the model's, or from the pilot's single queries when this device cannot meet it)",
    )
    .option(
      '--lag-bound-ms <l>',
      'server: p99 send lag beyond which the load generator is behind and the run INVALID (default 25 % of the bound, at least 2 ms)',
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
    .option(
      '--search-steps <n>',
      'server: search the highest valid QPS with N bisection steps (default 0: one run at the planned QPS)',
    )
    .option('--out <dir>', 'output folder (default out/bench/<model>-<scenario>-<ep>-seed<seed>)')
    .option('--json', 'print the result as one JSON object on the last stdout line')
    .action(action);
}
