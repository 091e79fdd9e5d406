import ort from 'onnxruntime-node';
import { runOffline } from '../loadgen/runOffline.ts';
import { runSingleStream } from '../loadgen/runSingleStream.ts';
import { defaultPercentiles, type Scenario, type TestSettings } from '../loadgen/testSettings.ts';
import { getModel, listModels, type ZooModel } from '../models/registry.ts';
import { makeSampleLibrary, type Sample } from '../models/sampleInputs.ts';
import { createRuntime, type Runtime } from './createRuntime.ts';
import { runModel } from './runModel.ts';

const rounds = 9;
/** Per round: enough queries for ~0.15 s of classifier work, ~1 s of text generation. */
const queriesFor = (model: ZooModel) => (model.textGen ? 400 : 2000);

/** Bare onnxruntime-node on the main thread: the same decode loop, no workers, no digests, no records. */
async function bareRound(session: ort.InferenceSession, model: ZooModel, samples: Sample[]) {
  const n = queriesFor(model);
  const started = performance.now();
  for (let i = 0; i < n; i++)
    await runModel({ session, model, data: samples[i % samples.length]!.data });
  return (performance.now() - started) / n;
}

const settingsFor = (scenario: Scenario, n: number): TestSettings => ({
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
async function harnessRound(runtime: Runtime, samples: Sample[], scenario: Scenario) {
  const n = queriesFor(runtime.model);
  const run = scenario === 'offline' ? runOffline : runSingleStream;
  const r = await run({ sut: runtime, samples, settings: settingsFor(scenario, n) });
  return r.wallMs / r.queriesCompleted;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const pct = (harness: number, bare: number) => ((harness - bare) / bare) * 100;

type Row = {
  model: string;
  measure: string;
  bareMs: number;
  harnessMs: number;
  overheadPct: number;
};

/**
 * Harness overhead against a bare onnxruntime-node loop on the same model (target ≤ 5%).
 * The machine may be shared, so all variants alternate within each round and each reports
 * its median round: a burst of outside load hits them alike.
 */
export default async function overheadBench(): Promise<void> {
  const rows: Row[] = [];
  for (const spec of listModels()) {
    const model = getModel(spec.name);
    const samples = makeSampleLibrary({ model, seed: 1, count: 64 });
    const session = await ort.InferenceSession.create(model.bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    for (let i = 0; i < 10; i++) await runModel({ session, model, data: samples[0]!.data });
    const thread = await createRuntime({ modelName: spec.name, warmupIterations: 10 });
    const inline = await createRuntime({
      modelName: spec.name,
      warmupIterations: 10,
      inline: true,
    });
    const variants = {
      'throughput, worker thread (Offline)': () => harnessRound(thread, samples, 'offline'),
      'latency, inline (SingleStream)': () => harnessRound(inline, samples, 'single-stream'),
      'latency, worker thread (SingleStream)': () => harnessRound(thread, samples, 'single-stream'),
    };
    const bare: number[] = [];
    const ms = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) {
      bare.push(await bareRound(session, model, samples));
      for (const [k, f] of Object.entries(variants)) ms.get(k)!.push(await f());
    }
    await Promise.all([thread.close(), inline.close(), session.release()]);
    const bareMs = median(bare);
    for (const [measure, xs] of ms) {
      const harnessMs = median(xs);
      const overheadPct = pct(harnessMs, bareMs);
      rows.push({ model: spec.name, measure, bareMs, harnessMs, overheadPct });
      console.log(
        `${spec.name.padEnd(9)} ${measure.padEnd(38)} bare ${bareMs.toFixed(4)} ms/query, harness ${harnessMs.toFixed(4)} ms/query, overhead ${overheadPct.toFixed(1)}% (${harnessMs >= bareMs ? '+' : ''}${((harnessMs - bareMs) * 1000).toFixed(1)} µs) ${overheadPct <= 5 ? 'within' : 'OVER'} 5%`,
      );
    }
  }
  console.log(
    `(median of ${rounds} alternating rounds; per round ${queriesFor(getModel('mlp-s'))} classifier / ${queriesFor(getModel('tinylm-s'))} text queries; cpu, 1 intra-op thread, 1 worker holding 2 queries)`,
  );
  console.log('reproduce: npm run bench -- gpu-harness/runtime/overhead');
  console.log(JSON.stringify({ bench: 'harness-overhead', rows }));
}
