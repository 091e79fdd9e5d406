import type { LoadgenScenario } from '../loadgen/testSettings.ts';
import type { ReceiptSigning } from '../receipts/createReceiptIssuer.ts';
import type { ExecutionProvider } from '../runtime/providers.ts';
import type { GraphOptimizationLevel } from '../runtime/sessionOptions.ts';
import { offlineMinQueries, serverMinQueries, singleStreamMinQueries } from './planBench.ts';

/** An operator's own ONNX file instead of a zoo model (see loadModelFile). */
export type ModelFileParameters = {
  path: string;
  /** --shape bindings, name → dims. */
  shapes: Record<string, number[]>;
  output: string | null;
  cu: number | null;
  inputsFile: string | null;
};

/** Every knob of one `bench inference` run, as given (null: planned, see planBench; recorded in the result). */
export type BenchParameters = {
  /** A zoo model's name, or the file's name without .onnx when `modelFile` is set. */
  modelName: string;
  modelFile: ModelFileParameters | null;
  scenario: LoadgenScenario;
  provider: ExecutionProvider;
  minDurationMs: number;
  /** null: planned from the scenario's rules (planBench). */
  minQueries: number | null;
  maxQueries: number;
  /** Server: fixed QPS (null: planned from a pilot). Offline: expected samples/s or null. */
  targetQps: number | null;
  /** Server p99 bound; null: the model's, or a measured one when the device cannot meet it. */
  latencyBoundMs: number | null;
  /** Server: the p99 send lag that marks the load generator as behind (null: 25 % of the bound). */
  lagBoundMs: number | null;
  /** The device's peak GFLOP/s, to report the share of it achieved (null: not reported). */
  peakGflops: number | null;
  seed: number;
  intraOpThreads: number;
  interOpThreads: number;
  graphOptimizationLevel: GraphOptimizationLevel;
  warmupIterations: number;
  workers: number;
  /** Queries each worker thread holds at once (shared-memory cells; 2 hides the hand-off). */
  inFlightPerWorker: number;
  /** One session on the main thread instead of a worker thread (SingleStream; needs workers = 1). */
  inline: boolean;
  /** EIP-712 receipts: one signature each, or one per batch of `batchSize` (Merkle root). */
  receiptSigning: ReceiptSigning;
  batchSize: number;
  /** Keys for the receipts; null: environment variables, else ephemeral keys. */
  keyFile: string | null;
  /** Distinct inputs reused round-robin (LoadGen's performance sample count). */
  sampleCount: number;
  /** Server: bisection steps of a search for the highest valid QPS (0: one run at the planned QPS). */
  searchSteps: number;
  outDir: string;
};

export const benchDefaults = {
  provider: 'cpu',
  minDurationMs: 5000,
  seed: 1,
  intraOpThreads: 1,
  interOpThreads: 1,
  graphOptimizationLevel: 'all',
  warmupIterations: 10,
  workers: 1,
  inline: false,
  receiptSigning: 'single',
  batchSize: 256,
  sampleCount: 64,
  searchSteps: 0,
  maxQueries: 1_000_000,
} as const;

/**
 * Queries a worker thread holds at once, by scenario: Offline keeps 16 queued so the worker
 * never waits and wakes the main thread only every 8 replies; SingleStream and Server keep 2,
 * so every reply wakes the main thread at once (their latency counts).
 */
export const inFlightDefault: Record<LoadgenScenario, number> = {
  'single-stream': 2,
  server: 2,
  offline: 16,
};

/** The planned query minimums when --min-queries is not given (see planBench for why). */
export const minQueriesDefault: Record<LoadgenScenario, number> = {
  'single-stream': singleStreamMinQueries,
  server: serverMinQueries,
  offline: offlineMinQueries,
};

/** Output folder named only by what was run, so the same command overwrites its own result. */
export function defaultOutDir(
  p: Pick<BenchParameters, 'modelName' | 'scenario' | 'provider' | 'seed'>,
): string {
  return `out/bench/${p.modelName}-${p.scenario}-${p.provider}-seed${p.seed}`;
}

const quote = (s: string) => (/^[\w./:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The command that repeats a run with every resolved parameter spelled out, planned ones
 * included (so the repeat needs no pilot and runs the same plan).
 */
export function reproduceCommand(
  p: BenchParameters,
  planned: { minQueries: number; targetQps: number | null; latencyBoundMs: number | null },
): string {
  const f = p.modelFile;
  const flags = [
    `--model ${f ? quote(f.path) : p.modelName}`,
    ...(f
      ? [
          ...Object.entries(f.shapes).map(
            ([name, dims]) => `--shape ${quote(`${name}=${dims.join('x')}`)}`,
          ),
          ...(f.output ? [`--output ${quote(f.output)}`] : []),
          ...(f.cu !== null ? [`--cu ${f.cu}`] : []),
          ...(f.inputsFile ? [`--inputs ${quote(f.inputsFile)}`] : []),
        ]
      : []),
    `--scenario ${p.scenario}`,
    `--ep ${p.provider}`,
    `--duration-ms ${p.minDurationMs}`,
    `--min-queries ${planned.minQueries}`,
    `--max-queries ${p.maxQueries}`,
    ...(planned.targetQps !== null && !(p.scenario === 'server' && p.searchSteps > 0)
      ? [`--target-qps ${planned.targetQps}`]
      : []),
    ...(planned.latencyBoundMs !== null ? [`--latency-bound-ms ${planned.latencyBoundMs}`] : []),
    ...(p.lagBoundMs !== null ? [`--lag-bound-ms ${p.lagBoundMs}`] : []),
    ...(p.peakGflops !== null ? [`--peak-gflops ${p.peakGflops}`] : []),
    `--seed ${p.seed}`,
    `--threads ${p.intraOpThreads}`,
    `--inter-op-threads ${p.interOpThreads}`,
    `--graph-opt ${p.graphOptimizationLevel}`,
    `--warmup ${p.warmupIterations}`,
    `--workers ${p.workers}`,
    ...(p.inline ? [] : [`--in-flight ${p.inFlightPerWorker}`]),
    ...(p.inline ? ['--inline'] : []),
    `--receipt-signing ${p.receiptSigning}`,
    ...(p.receiptSigning === 'batch' ? [`--batch-size ${p.batchSize}`] : []),
    ...(p.keyFile ? [`--key-file ${quote(p.keyFile)}`] : []),
    `--samples ${p.sampleCount}`,
    ...(p.scenario === 'server' && p.searchSteps > 0 ? [`--search-steps ${p.searchSteps}`] : []),
    `--out ${quote(p.outDir)}`,
  ];
  return `node bin/onesim.js bench inference ${flags.join(' ')}`;
}
