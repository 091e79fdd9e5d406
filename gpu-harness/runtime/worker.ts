import { workerData } from 'piscina';
import { quantisedDigest } from '../models/quantisedDigest.ts';
import { getModel } from '../models/registry.ts';
import { makeSample } from '../models/sampleInputs.ts';
import { openSession, ortVersion } from './openSession.ts';
import { runModel } from './runModel.ts';
import type { RuntimeOptions } from './sessionOptions.ts';
import {
  epochNowMs,
  type WorkerInfo,
  type WorkerReply,
  type WorkerTask,
} from './workerProtocol.ts';

// One session per worker, opened and warmed while the worker starts, so no query pays for it.
const options = workerData as RuntimeOptions;
const model = getModel(options.modelName);
const { session, choice } = await openSession({ model, options });
const warmupStarted = performance.now();
const warmupSample = makeSample({ model, seed: options.seed, index: 0 });
for (let i = 0; i < options.warmupIterations; i++)
  await runModel({ session, model, data: warmupSample.data });
const info: WorkerInfo = { choice, ortVersion, warmupMs: performance.now() - warmupStarted };

export default async function handle(task: WorkerTask): Promise<WorkerReply> {
  if (task.kind === 'info') return info;
  const startedAtEpochMs = epochNowMs();
  const run = await runModel({ session, model, data: task.data });
  const outputDigest = quantisedDigest({
    values: run.values,
    dims: run.dims,
    tolerance: model.tolerance,
  });
  return { ...run, outputDigest, startedAtEpochMs, finishedAtEpochMs: epochNowMs() };
}
