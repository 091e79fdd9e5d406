import ort from 'onnxruntime-node';
import { runSingleStream } from '../loadgen/runSingleStream.ts';
import { defaultPercentiles } from '../loadgen/testSettings.ts';
import { getModel, listModels } from '../models/registry.ts';
import { makeSampleLibrary, type Sample } from '../models/sampleInputs.ts';
import { createRuntime } from './createRuntime.ts';
import { runModel } from './runModel.ts';

const queries = 2000;

/** Bare onnxruntime-node on the main thread: the same decode loop, no workers, no digests. */
async function bareMeanMs(name: string, samples: Sample[]): Promise<number> {
  const model = getModel(name);
  const session = await ort.InferenceSession.create(model.bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  for (let i = 0; i < 10; i++) await runModel({ session, model, data: samples[0]!.data });
  const started = performance.now();
  for (let i = 0; i < queries; i++)
    await runModel({ session, model, data: samples[i % samples.length]!.data });
  const meanMs = (performance.now() - started) / queries;
  await session.release();
  return meanMs;
}

/** The harness: SingleStream through a worker (message passing, digests, result records). */
async function harnessMeanMs(name: string, samples: Sample[]): Promise<number> {
  const runtime = await createRuntime({ modelName: name, warmupIterations: 10 });
  try {
    const r = await runSingleStream({
      sut: runtime,
      samples,
      settings: {
        scenario: 'single-stream',
        minDurationMs: 0,
        minQueries: queries,
        maxQueries: queries,
        seed: 1,
        targetQps: null,
        latencyBoundMs: null,
        targetPercentile: defaultPercentiles['single-stream'],
        confidence: 0.99,
      },
    });
    return r.wallMs / r.queriesCompleted;
  } finally {
    await runtime.close();
  }
}

/** Harness overhead per query against a bare loop on the same model (target ≤ 5%). */
export default async function overheadBench(): Promise<void> {
  for (const spec of listModels()) {
    const samples = makeSampleLibrary({ model: spec, seed: 1, count: 64 });
    const bare = await bareMeanMs(spec.name, samples);
    const harness = await harnessMeanMs(spec.name, samples);
    const overheadPct = ((harness - bare) / bare) * 100;
    console.log(
      `${spec.name}: bare ${bare.toFixed(4)} ms/query, harness ${harness.toFixed(4)} ms/query, overhead ${overheadPct.toFixed(1)}% (+${((harness - bare) * 1000).toFixed(0)} µs)`,
    );
  }
  console.log(`(${queries} sequential queries each, cpu, 1 intra-op thread)`);
  console.log('reproduce: npm run bench -- gpu-harness/runtime/overhead');
}
