import { type FindServerQpsReturnType, findServerQps } from '../loadgen/findServerQps.ts';
import { runScenario } from '../loadgen/runScenario.ts';
import type { ScenarioResult } from '../loadgen/scenarioResult.ts';
import {
  defaultPercentiles,
  type ProgressEvent,
  type TestSettings,
} from '../loadgen/testSettings.ts';
import { makeSampleLibrary } from '../models/sampleInputs.ts';
import type { ReceiptKeys } from '../receipts/receiptKeys.ts';
import { createRuntime, type Runtime, type RuntimeInfo } from '../runtime/createRuntime.ts';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import { type BenchParameters, reproduceCommand } from './benchParameters.ts';
import { type BenchReceiptsSummary, openBenchReceipts } from './benchReceipts.ts';

/** Everything one `bench inference` run produced; written as result.json. */
export type BenchResult = {
  schema: 'onesim/bench-inference/v1';
  command: string;
  gitCommit: string;
  parameters: BenchParameters;
  model: {
    name: string;
    id: string;
    idBytes32: `0x${string}`;
    cost: { per: string; cu: number };
    description: string;
  };
  runtime: RuntimeInfo;
  result: ScenarioResult | null;
  serverSearch: FindServerQpsReturnType['probes'] | null;
  /** The first inference, in full: what a receipt will sign. */
  firstInference: InferenceResult | null;
  /** receipts.jsonl beside result.json: both receipt encodings for every inference. */
  receipts: BenchReceiptsSummary;
  /** Stopped early (Ctrl-C / abort): finished queries and their receipts are kept. */
  interrupted: boolean;
  valid: boolean;
};

export type BenchInferenceParameters = {
  parameters: BenchParameters;
  /** Signing keys for the receipts (see loadReceiptKeys). */
  keys: ReceiptKeys;
  /** Commit the run was made from (the CLI passes git's HEAD). */
  gitCommit: string;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent & { phase: string }) => void;
};

function settingsFor(p: BenchParameters, overrides: Partial<TestSettings> = {}): TestSettings {
  return {
    scenario: p.scenario,
    minDurationMs: p.minDurationMs,
    minQueries: p.minQueries,
    maxQueries: p.maxQueries,
    seed: p.seed,
    targetQps: p.targetQps,
    latencyBoundMs: p.scenario === 'server' ? p.latencyBoundMs : null,
    targetPercentile: defaultPercentiles[p.scenario],
    confidence: 0.99,
    ...overrides,
  };
}

type RunContext = BenchInferenceParameters & {
  runtime: Pick<Runtime, 'infer' | 'model'>;
  keepFirst: (r: InferenceResult) => void;
};

async function runServerSearch(ctx: RunContext) {
  const { parameters: p, runtime } = ctx;
  const samples = makeSampleLibrary({ model: runtime.model, seed: p.seed, count: p.sampleCount });
  // Offline throughput bounds what any Server QPS can reach: it is the bracket's high end.
  const pilot = await runScenario({
    sut: runtime,
    samples,
    settings: settingsFor(p, {
      scenario: 'offline',
      minDurationMs: 0,
      targetQps: null,
      latencyBoundMs: null,
    }),
    signal: ctx.signal,
    onProgress: (e) => ctx.onProgress?.({ ...e, phase: 'offline pilot' }),
  });
  const highQps = pilot.throughput.queriesPerSecond;
  const search = await findServerQps({
    lowQps: highQps / 16,
    highQps,
    iterations: p.searchSteps,
    signal: ctx.signal,
    runAtQps: (targetQps) =>
      runScenario({
        sut: runtime,
        samples,
        settings: settingsFor(p, { targetQps }),
        signal: ctx.signal,
        onResult: ctx.keepFirst,
        onProgress: (e) => ctx.onProgress?.({ ...e, phase: `server ${targetQps.toFixed(1)} QPS` }),
      }),
  });
  return { result: search.best, serverSearch: search.probes };
}

async function runOnce(ctx: RunContext): Promise<{ result: ScenarioResult; serverSearch: null }> {
  const { parameters: p, runtime } = ctx;
  const samples = makeSampleLibrary({ model: runtime.model, seed: p.seed, count: p.sampleCount });
  let expectedQps = p.targetQps;
  if (p.scenario === 'offline' && expectedQps === null) {
    // LoadGen sizes the Offline query from the expected QPS; measure it when not given.
    const pilot = await runScenario({
      sut: runtime,
      samples,
      settings: settingsFor(p, { minDurationMs: 0 }),
      signal: ctx.signal,
      onProgress: (e) => ctx.onProgress?.({ ...e, phase: 'offline pilot' }),
    });
    // The pilot is short and runs faster than a long run; 2× keeps the run past the minimum duration.
    expectedQps = pilot.throughput.queriesPerSecond * 2;
  }
  const result = await runScenario({
    sut: runtime,
    samples,
    settings: settingsFor(p, { targetQps: expectedQps }),
    signal: ctx.signal,
    onResult: ctx.keepFirst,
    onProgress: (e) => ctx.onProgress?.({ ...e, phase: p.scenario }),
  });
  return { result, serverSearch: null };
}

/**
 * Starts the runtime, runs the scenario (or the Server QPS search) with a receipt for every
 * inference streamed to `<outDir>/receipts.jsonl`, and closes the runtime. On abort the finished
 * queries and their receipts are kept and the result is marked interrupted.
 */
export async function benchInference(params: BenchInferenceParameters): Promise<BenchResult> {
  const p = params.parameters;
  const runtime = await createRuntime({ ...p, modelName: p.modelName });
  let firstInference: InferenceResult | null = null;
  const keepFirst = (r: InferenceResult) => {
    firstInference ??= r;
  };
  const receipts = openBenchReceipts({
    runtime,
    model: runtime.model,
    keys: params.keys,
    signing: p.receiptSigning,
    batchSize: p.batchSize,
    inputSeed: p.seed,
    outDir: p.outDir,
  });
  let summary: BenchReceiptsSummary | null = null;
  try {
    const ctx = {
      ...params,
      runtime: { model: runtime.model, infer: receipts.sut.infer },
      keepFirst,
    };
    const run =
      p.scenario === 'server' && p.targetQps === null
        ? await runServerSearch(ctx)
        : await runOnce(ctx);
    summary = await receipts.finish();
    const m = runtime.model;
    return {
      schema: 'onesim/bench-inference/v1',
      command: reproduceCommand(p),
      gitCommit: params.gitCommit,
      parameters: p,
      model: {
        name: m.name,
        id: m.id,
        idBytes32: m.idBytes32,
        cost: m.cost,
        description: m.description,
      },
      runtime: runtime.info,
      result: run.result,
      serverSearch: run.serverSearch,
      firstInference,
      receipts: summary,
      interrupted: params.signal?.aborted ?? false,
      valid: (run.result?.validity.valid ?? false) && !params.signal?.aborted,
    };
  } finally {
    if (summary === null) await receipts.finish().catch(() => undefined);
    await runtime.close();
  }
}
