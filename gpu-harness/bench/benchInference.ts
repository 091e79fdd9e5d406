import { type FindServerQpsReturnType, findServerQps } from '../loadgen/findServerQps.ts';
import type { LoadgenResult } from '../loadgen/loadgenResult.ts';
import { runLoadgenScenario } from '../loadgen/runLoadgenScenario.ts';
import {
  defaultPercentiles,
  type ProgressEvent,
  type TestSettings,
} from '../loadgen/testSettings.ts';
import type { LoadedModel } from '../models/loadedModel.ts';
import { getModel } from '../models/registry.ts';
import { makeSampleLibrary, type Sample } from '../models/sampleInputs.ts';
import type { ReceiptKeys } from '../receipts/receiptKeys.ts';
import { createRuntime, type Runtime, type RuntimeInfo } from '../runtime/createRuntime.ts';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import { type BenchParameters, reproduceCommand } from './benchParameters.ts';
import { type BenchReceiptsSummary, openBenchReceipts } from './benchReceipts.ts';
import { measurePilot } from './measurePilot.ts';
import { type BenchPlan, needsPilot, type Pilot, planBench } from './planBench.ts';

/** Work done per second against the model's FLOP count (FLOPs as ModelSpec.flopsPerQuery counts them). */
export type ComputeRate = {
  flopsPerQuery: number;
  gflopsPerSecond: number | null;
  /** --peak-gflops, the device's peak as the operator states it. */
  peakGflops: number | null;
  /** gflopsPerSecond / peakGflops. */
  peakShare: number | null;
};

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
    cost: { per: 'request' | 'token'; cu: number };
    description: string;
    parameterCount: number;
    flopsPerQuery: number;
    source: LoadedModel['source'];
  };
  runtime: RuntimeInfo;
  /** The pilot that sized the run (null when nothing needed measuring). */
  pilot: Pilot | null;
  /** How the run was sized, and why. */
  plan: BenchPlan;
  result: LoadgenResult | null;
  compute: ComputeRate | null;
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
  /** The model to run (an operator's file, loaded by loadModelFile); default: the zoo's `modelName`. */
  model?: LoadedModel;
  /** Told the plan before the main run starts (the CLI prints it). */
  onPlan?: (plan: BenchPlan, pilot: Pilot | null) => void;
  /** Signing keys for the receipts (see loadReceiptKeys). */
  keys: ReceiptKeys;
  /** Commit the run was made from (the CLI passes git's HEAD). */
  gitCommit: string;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent & { phase: string }) => void;
};

function settingsFor(
  p: BenchParameters,
  plan: BenchPlan,
  overrides: Partial<TestSettings> = {},
): TestSettings {
  return {
    scenario: p.scenario,
    minDurationMs: p.minDurationMs,
    minQueries: plan.minQueries,
    maxQueries: p.maxQueries,
    seed: p.seed,
    targetQps: plan.targetQps,
    latencyBoundMs: p.scenario === 'server' ? plan.latencyBoundMs : null,
    targetPercentile: defaultPercentiles[p.scenario],
    confidence: 0.99,
    ...(p.lagBoundMs !== null ? { lagBoundMs: p.lagBoundMs } : {}),
    ...overrides,
  };
}

type RunContext = BenchInferenceParameters & {
  runtime: Pick<Runtime, 'infer' | 'model'>;
  samples: Sample[];
  plan: BenchPlan;
  keepFirst: (r: InferenceResult) => void;
};

async function runServerSearch(ctx: RunContext) {
  const { parameters: p, runtime, samples, plan } = ctx;
  const search = await findServerQps({
    lowQps: plan.search!.lowQps,
    highQps: plan.search!.highQps,
    iterations: plan.search!.steps,
    signal: ctx.signal,
    runAtQps: (targetQps) =>
      runLoadgenScenario({
        sut: runtime,
        samples,
        settings: settingsFor(p, plan, { targetQps }),
        signal: ctx.signal,
        onResult: ctx.keepFirst,
        onProgress: (e) => ctx.onProgress?.({ ...e, phase: `server ${targetQps.toFixed(1)} QPS` }),
      }),
  });
  return { result: search.best, serverSearch: search.probes };
}

async function runOnce(ctx: RunContext): Promise<{ result: LoadgenResult; serverSearch: null }> {
  const { parameters: p, runtime, samples, plan } = ctx;
  const result = await runLoadgenScenario({
    sut: runtime,
    samples,
    settings: settingsFor(p, plan),
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
function computeRate(
  model: LoadedModel,
  p: BenchParameters,
  result: LoadgenResult | null,
): ComputeRate {
  const qps = result?.throughput.queriesPerSecond ?? null;
  const gflopsPerSecond = qps === null ? null : (model.flopsPerQuery * qps) / 1e9;
  return {
    flopsPerQuery: model.flopsPerQuery,
    gflopsPerSecond,
    peakGflops: p.peakGflops,
    peakShare: gflopsPerSecond !== null && p.peakGflops ? gflopsPerSecond / p.peakGflops : null,
  };
}

/** Pilots the run when its plan needs measurements, then plans it. */
async function planRun(
  ctx: Omit<RunContext, 'plan'>,
): Promise<{ plan: BenchPlan; pilot: Pilot | null }> {
  const p = ctx.parameters;
  const given = {
    minQueries: p.minQueries,
    targetQps: p.targetQps,
    latencyBoundMs: p.latencyBoundMs,
    searchSteps: p.searchSteps,
  };
  const base = {
    scenario: p.scenario,
    minDurationMs: p.minDurationMs,
    maxQueries: p.maxQueries,
    given,
    modelLatencyBoundMs: ctx.runtime.model.latencyBoundMs,
  };
  const pilot = needsPilot(base)
    ? await measurePilot({
        sut: ctx.runtime,
        samples: ctx.samples,
        seed: p.seed,
        maxQueries: p.maxQueries,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onProgress: (e) => ctx.onProgress?.({ ...e, phase: 'pilot' }),
      })
    : null;
  return { plan: planBench({ ...base, pilot }), pilot };
}

export async function benchInference(params: BenchInferenceParameters): Promise<BenchResult> {
  const p = params.parameters;
  const model = params.model ?? getModel(p.modelName);
  const { modelFile: _file, ...options } = p;
  const runtime = await createRuntime({ ...options, modelName: model.name, model });
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
    const base = {
      ...params,
      runtime: { model: runtime.model, infer: receipts.sut.infer },
      samples: makeSampleLibrary({ model, seed: p.seed, count: p.sampleCount }),
      keepFirst,
    };
    const { plan, pilot } = await planRun(base);
    params.onPlan?.(plan, pilot);
    const ctx = { ...base, plan };
    const run = plan.search ? await runServerSearch(ctx) : await runOnce(ctx);
    summary = await receipts.finish();
    const m = runtime.model;
    return {
      schema: 'onesim/bench-inference/v1',
      command: reproduceCommand(p, plan),
      gitCommit: params.gitCommit,
      parameters: p,
      model: {
        name: m.name,
        id: m.id,
        idBytes32: m.idBytes32,
        cost: m.cost,
        description: m.description,
        parameterCount: m.parameterCount,
        flopsPerQuery: m.flopsPerQuery,
        source: m.source,
      },
      runtime: runtime.info,
      pilot,
      plan,
      result: run.result,
      compute: computeRate(m, p, run.result),
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
