import ort from 'onnxruntime-node';
import { runSingleStream } from '../loadgen/runSingleStream.ts';
import { defaultPercentiles, type TestSettings } from '../loadgen/testSettings.ts';
import { getModel, listModels, type ZooModel } from '../models/registry.ts';
import { makeSampleLibrary, type Sample } from '../models/sampleInputs.ts';
import { createRuntime, type Runtime } from './createRuntime.ts';
import { runModel } from './runModel.ts';

const rounds = 7;
const queriesPerRound = 500;

/** Bare onnxruntime-node on the main thread: the same decode loop, no workers, no digests. */
async function bareRound(session: ort.InferenceSession, model: ZooModel, samples: Sample[]) {
  const started = performance.now();
  for (let i = 0; i < queriesPerRound; i++)
    await runModel({ session, model, data: samples[i % samples.length]!.data });
  return (performance.now() - started) / queriesPerRound;
}

const settings: TestSettings = {
  scenario: 'single-stream',
  minDurationMs: 0,
  minQueries: queriesPerRound,
  maxQueries: queriesPerRound,
  seed: 1,
  targetQps: null,
  latencyBoundMs: null,
  targetPercentile: defaultPercentiles['single-stream'],
  confidence: 0.99,
};

/** The harness: SingleStream through the load generator (digests, result records included). */
async function harnessRound(runtime: Runtime, samples: Sample[]) {
  const r = await runSingleStream({ sut: runtime, samples, settings });
  return r.wallMs / r.queriesCompleted;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/**
 * Harness overhead per query against a bare loop on the same model (target ≤ 5%). The machine
 * may be shared, so bare, worker-thread and inline runs alternate in rounds and each reports
 * its median round: a burst of outside load hits all three alike.
 */
export default async function overheadBench(): Promise<void> {
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
    const ms = { bare: [] as number[], thread: [] as number[], inline: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      ms.bare.push(await bareRound(session, model, samples));
      ms.thread.push(await harnessRound(thread, samples));
      ms.inline.push(await harnessRound(inline, samples));
    }
    await Promise.all([thread.close(), inline.close(), session.release()]);
    const bare = median(ms.bare);
    for (const mode of ['thread', 'inline'] as const) {
      const harness = median(ms[mode]);
      const label = mode === 'thread' ? 'worker thread' : 'inline';
      console.log(
        `${spec.name} (${label}): bare ${bare.toFixed(4)} ms/query, harness ${harness.toFixed(4)} ms/query, overhead ${(((harness - bare) / bare) * 100).toFixed(1)}% (+${((harness - bare) * 1000).toFixed(0)} µs)`,
      );
    }
  }
  console.log(
    `(median of ${rounds} alternating rounds of ${queriesPerRound} sequential queries, cpu, 1 intra-op thread)`,
  );
  console.log('reproduce: npm run bench -- gpu-harness/runtime/overhead');
}
