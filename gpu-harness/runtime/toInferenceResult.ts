import type { LoadedModel } from '../models/loadedModel.ts';
import type { Sample } from '../models/sampleInputs.ts';
import type { RuntimeInfo } from './createRuntime.ts';
import type { InferenceResult } from './inferenceResult.ts';
import type { ModelRun } from './runModel.ts';

export type ToInferenceResultParameters = {
  model: LoadedModel;
  info: RuntimeInfo;
  sample: Sample;
  reply: ModelRun;
  /** quantisedDigest of the reply's values (computed by the caller, off the session's thread). */
  outputDigest: string;
  issuedAtEpochMs: number;
  receivedAtEpochMs: number;
};

/** Joins a worker's reply with the main thread's clock readings into one InferenceResult. */
export function toInferenceResult(p: ToInferenceResultParameters): InferenceResult {
  const { model, reply } = p;
  const queueMs = reply.startedAtEpochMs - p.issuedAtEpochMs;
  const times = reply.tokenTimesMs;
  const isText = model.textGen !== undefined;
  const tokens = isText ? reply.values.length : null;
  const tpot =
    times.length > 1 ? (times[times.length - 1]! - times[0]!) / (times.length - 1) : null;
  return {
    model: model.id,
    modelName: model.name,
    sampleIndex: p.sample.index,
    inputDigest: p.sample.inputDigest,
    output: { dims: reply.dims, values: Array.from(reply.values) },
    outputDigest: p.outputDigest,
    tolerance: model.tolerance,
    units: { cu: model.cost.cu * (tokens ?? 1), generatedTokens: tokens },
    provider: p.info.provider,
    ortVersion: p.info.ortVersion,
    timings: {
      issuedAtEpochMs: p.issuedAtEpochMs,
      startedAtEpochMs: reply.startedAtEpochMs,
      finishedAtEpochMs: reply.finishedAtEpochMs,
      queueMs,
      runMs: reply.runMs,
      latencyMs: p.receivedAtEpochMs - p.issuedAtEpochMs,
      firstTokenMs: isText && times.length > 0 ? queueMs + times[0]! : null,
      timePerOutputTokenMs: tpot,
    },
  };
}
