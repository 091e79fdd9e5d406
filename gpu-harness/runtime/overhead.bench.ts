import ort from 'onnxruntime-node';
import { inFlightDefault } from '../bench/benchParameters.ts';
import { runOffline } from '../loadgen/runOffline.ts';
import { runSingleStream } from '../loadgen/runSingleStream.ts';
import {
  defaultPercentiles,
  type LoadgenScenario,
  type TestSettings,
} from '../loadgen/testSettings.ts';
import { getModel, listModels, type ZooModel } from '../models/registry.ts';
import { makeSampleLibrary, type Sample } from '../models/sampleInputs.ts';
import { createRuntime, type Runtime } from './createRuntime.ts';
import { runModel } from './runModel.ts';

/** Toy models: many short rounds. Realistic ones (tens of ms to a second per query): fewer, longer. */
const roundsFor = (model: ZooModel) => (model.pinnedId ? 11 : 31);
/** Per round: ~25 ms of toy classifier work, ~100 ms of toy text generation, 3 realistic queries. */
const queriesFor = (model: ZooModel) => (model.pinnedId ? 3 : model.textGen ? 40 : 300);

/** Bare onnxruntime-node on the main thread: the same decode loop, no workers, no digests, no records. */
async function bareRound(session: ort.InferenceSession, model: ZooModel, samples: Sample[]) {
  const n = queriesFor(model);
  const started = performance.now();
  for (let i = 0; i < n; i++)
    await runModel({ session, model, inputs: samples[i % samples.length]!.inputs });
  return (performance.now() - started) / n;
}

const settingsFor = (scenario: LoadgenScenario, n: number): TestSettings => ({
  scenario,
  minDurationMs: 0,
  minQueries: n,
  maxQueries: n,
  seed: 1,
  targetQps: null,
  latencyBoundMs: null,
  targetPercentile: defaultPercentiles[scenario],
  confidence: 0.99,
});

/**
 * The harness through the load generator: output digests, result records, latency
 * bookkeeping included. SingleStream: one query at a time (what a query's latency pays).
 * Offline: every query issued at once (what throughput, the CU/s a profile reports, pays).
 */
async function harnessRound(runtime: Runtime, samples: Sample[], scenario: LoadgenScenario) {
  const n = queriesFor(runtime.model);
  const run = scenario === 'offline' ? runOffline : runSingleStream;
  const r = await run({ sut: runtime, samples, settings: settingsFor(scenario, n) });
  return r.wallMs / r.queriesCompleted;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const min = (xs: number[]) => Math.min(...xs);
const pct = (harness: number, bare: number) => ((harness - bare) / bare) * 100;

type Row = {
  model: string;
  measure: string;
  /** From each variant's fastest round: outside load only ever adds time, so the minimum is the undisturbed cost. */
  bareMs: number;
  harnessMs: number;
  overheadPct: number;
  /** The same from median rounds (closer to what a busy machine sees). */
  medianOverheadPct: number;
};

/**
 * Harness overhead against a bare onnxruntime-node loop on the same model (target ≤ 5%).
 * The machine may be shared, so all variants alternate in short rounds and each is judged by
 * its fastest round (outside load only adds time); the median-round figure is printed beside it.
 */
export default async function overheadBench(): Promise<void> {
  const rows: Row[] = [];
  // ONESIM_OVERHEAD_MODELS=resnet50,bert-base picks models; default: the whole zoo.
  const picked = process.env.ONESIM_OVERHEAD_MODELS?.split(',');
  for (const spec of listModels().filter((s) => !picked || picked.includes(s.name))) {
    const model = getModel(spec.name);
    const rounds = roundsFor(model);
    const samples = makeSampleLibrary({ model, seed: 1, count: model.pinnedId ? 8 : 64 });
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    const session = model.path
      ? await ort.InferenceSession.create(model.path, options)
      : await ort.InferenceSession.create(model.bytes!, options);
    for (let i = 0; i < 3; i++) await runModel({ session, model, inputs: samples[0]!.inputs });
    const warmupIterations = model.pinnedId ? 3 : 10;
    const thread = await createRuntime({ modelName: spec.name, warmupIterations });
    // What `bench inference --scenario offline` uses: 16 queries queued per worker.
    const deep = await createRuntime({
      modelName: spec.name,
      warmupIterations,
      inFlightPerWorker: inFlightDefault.offline,
    });
    const inline = await createRuntime({
      modelName: spec.name,
      warmupIterations,
      inline: true,
    });
    const variants = {
      'throughput, worker thread (Offline)': () => harnessRound(deep, samples, 'offline'),
      'latency, inline (SingleStream)': () => harnessRound(inline, samples, 'single-stream'),
      'latency, worker thread (SingleStream)': () => harnessRound(thread, samples, 'single-stream'),
    };
    const bare: number[] = [];
    const ms = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) {
      bare.push(await bareRound(session, model, samples));
      for (const [k, f] of Object.entries(variants)) ms.get(k)!.push(await f());
    }
    await Promise.all([thread.close(), deep.close(), inline.close(), session.release()]);
    const bareMs = min(bare);
    for (const [measure, xs] of ms) {
      const harnessMs = min(xs);
      const overheadPct = pct(harnessMs, bareMs);
      const medianOverheadPct = pct(median(xs), median(bare));
      rows.push({ model: spec.name, measure, bareMs, harnessMs, overheadPct, medianOverheadPct });
      console.log(
        `${spec.name.padEnd(9)} ${measure.padEnd(38)} bare ${bareMs.toFixed(4)} ms/query, harness ${harnessMs.toFixed(4)} ms/query, overhead ${overheadPct.toFixed(1)}% (${harnessMs >= bareMs ? '+' : ''}${((harnessMs - bareMs) * 1000).toFixed(1)} µs; median rounds ${medianOverheadPct.toFixed(1)}%) ${overheadPct <= 5 ? 'within' : 'OVER'} 5%`,
      );
    }
  }
  console.log(
    `(fastest of 31 alternating rounds for the toy zoo — ${queriesFor(getModel('mlp-s'))} classifier / ${queriesFor(getModel('tinylm-s'))} text queries each — and of 11 rounds of 3 queries for the realistic zoo; cpu, 1 intra-op thread, 1 worker holding ${inFlightDefault.offline} queries for Offline and 2 for SingleStream)`,
  );
  console.log(
    `reproduce: ${picked ? `ONESIM_OVERHEAD_MODELS=${picked.join(',')} ` : ''}npm run bench -- gpu-harness/runtime/overhead`,
  );
  console.log(JSON.stringify({ bench: 'harness-overhead', rows }));
}
