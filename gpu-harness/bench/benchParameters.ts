import type { Scenario } from '../loadgen/testSettings.ts';
import type { ReceiptSigning } from '../receipts/createReceiptIssuer.ts';
import type { ExecutionProvider } from '../runtime/providers.ts';
import type { GraphOptimizationLevel } from '../runtime/sessionOptions.ts';

/** Every knob of one `bench inference` run, fully resolved (recorded in the result). */
export type BenchParameters = {
  modelName: string;
  scenario: Scenario;
  provider: ExecutionProvider;
  minDurationMs: number;
  minQueries: number;
  maxQueries: number;
  /** Server: fixed QPS, or null to search by bisection. Offline: expected samples/s or null. */
  targetQps: number | null;
  latencyBoundMs: number;
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
  /** Server search: bisection steps after the bracketing runs. */
  searchSteps: number;
  outDir: string;
};

export const benchDefaults = {
  provider: 'cpu',
  minDurationMs: 5000,
  latencyBoundMs: 50,
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
  searchSteps: 5,
  maxQueries: 1_000_000,
} as const;

/**
 * Queries a worker thread holds at once, by scenario: Offline keeps 16 queued so the worker
 * never waits and wakes the main thread only every 8 replies; SingleStream and Server keep 2,
 * so every reply wakes the main thread at once (their latency counts).
 */
export const inFlightDefault: Record<Scenario, number> = {
  'single-stream': 2,
  server: 2,
  offline: 16,
};

/** LoadGen needs ≥ 64 queries for the SingleStream estimate and ≥ 459 for a Server pass at p99. */
export const minQueriesDefault: Record<Scenario, number> = {
  'single-stream': 256,
  server: 1024,
  offline: 1024,
};

/** Output folder named only by what was run, so the same command overwrites its own result. */
export function defaultOutDir(
  p: Pick<BenchParameters, 'modelName' | 'scenario' | 'provider' | 'seed'>,
): string {
  return `out/bench/${p.modelName}-${p.scenario}-${p.provider}-seed${p.seed}`;
}

/** The command that repeats a run with every resolved parameter spelled out. */
export function reproduceCommand(p: BenchParameters): string {
  const flags = [
    `--model ${p.modelName}`,
    `--scenario ${p.scenario}`,
    `--ep ${p.provider}`,
    `--duration-ms ${p.minDurationMs}`,
    `--min-queries ${p.minQueries}`,
    `--max-queries ${p.maxQueries}`,
    ...(p.targetQps !== null ? [`--target-qps ${p.targetQps}`] : []),
    `--latency-bound-ms ${p.latencyBoundMs}`,
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
    ...(p.keyFile ? [`--key-file ${p.keyFile}`] : []),
    `--samples ${p.sampleCount}`,
    ...(p.scenario === 'server' && p.targetQps === null ? [`--search-steps ${p.searchSteps}`] : []),
    `--out ${p.outDir}`,
  ];
  return `node bin/onesim.js bench inference ${flags.join(' ')}`;
}
