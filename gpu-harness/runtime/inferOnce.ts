import type ort from 'onnxruntime-node';
import { quantisedDigest } from '../models/quantisedDigest.ts';
import type { ZooModel } from '../models/registry.ts';
import { runModel } from './runModel.ts';
import { epochNowMs, type WorkerInferReply } from './workerProtocol.ts';

export type InferOnceParameters = {
  session: ort.InferenceSession;
  model: ZooModel;
  data: Float32Array | BigInt64Array;
};

/** One query where the session lives: run, digest the output, stamp the times. */
export async function inferOnce({
  session,
  model,
  data,
}: InferOnceParameters): Promise<WorkerInferReply> {
  const startedAtEpochMs = epochNowMs();
  const run = await runModel({ session, model, data });
  const outputDigest = quantisedDigest({
    values: run.values,
    dims: run.dims,
    tolerance: model.tolerance,
  });
  return { ...run, outputDigest, startedAtEpochMs, finishedAtEpochMs: epochNowMs() };
}
