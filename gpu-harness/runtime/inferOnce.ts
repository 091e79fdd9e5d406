import type ort from 'onnxruntime-node';
import type { ZooModel } from '../models/registry.ts';
import { runModel } from './runModel.ts';
import { epochNowMs, type WorkerInferReply } from './workerProtocol.ts';

export type InferOnceParameters = {
  session: ort.InferenceSession;
  model: ZooModel;
  data: Float32Array | BigInt64Array;
};

/** One query where the session lives: run it and stamp the times. */
export async function inferOnce({
  session,
  model,
  data,
}: InferOnceParameters): Promise<WorkerInferReply> {
  const startedAtEpochMs = epochNowMs();
  const run = await runModel({ session, model, data });
  return { ...run, startedAtEpochMs, finishedAtEpochMs: epochNowMs() };
}
