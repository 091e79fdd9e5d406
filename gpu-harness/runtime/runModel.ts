import ort from 'onnxruntime-node';
import type { ZooModel } from '../models/registry.ts';

/** What one query produced inside a worker, before the main thread adds queueing time. */
export type ModelRun = {
  /** Float outputs of a classifier, or generated token ids of a text model. */
  values: Float32Array | number[];
  dims: number[];
  runMs: number;
  /** Text models: ms from run start to each generated token. */
  tokenTimesMs: number[];
  /** Epoch-ms (timeOrigin + now, comparable across threads) around the run. */
  startedAtEpochMs: number;
  finishedAtEpochMs: number;
};

function argmax(logits: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (logits[offset + i]! > logits[offset + best]!) best = i;
  return best;
}

async function runClassifier(
  session: ort.InferenceSession,
  model: ZooModel,
  data: Float32Array,
): Promise<ModelRun> {
  const started = performance.now();
  const out = await session.run({
    [model.input.name]: new ort.Tensor('float32', data, model.input.dims),
  });
  const finished = performance.now();
  const tensor = out[model.output.name]!;
  return {
    values: tensor.data as Float32Array,
    dims: [...tensor.dims],
    runMs: finished - started,
    tokenTimesMs: [],
    startedAtEpochMs: performance.timeOrigin + started,
    finishedAtEpochMs: performance.timeOrigin + finished,
  };
}

/**
 * Greedy decoding without a KV cache: each step reruns the whole (padded) context and reads
 * the logits at the last filled position. Stops after newTokensMax tokens or a full context.
 */
async function runTextGen(
  session: ort.InferenceSession,
  model: ZooModel,
  prompt: BigInt64Array,
): Promise<ModelRun> {
  const gen = model.textGen!;
  const tokens = new BigInt64Array(prompt);
  let length = gen.promptTokens;
  const generated: number[] = [];
  const tokenTimesMs: number[] = [];
  const started = performance.now();
  while (generated.length < gen.newTokensMax && length < gen.contextMax) {
    const out = await session.run({
      [model.input.name]: new ort.Tensor('int64', tokens, model.input.dims),
    });
    const logits = out[model.output.name]!.data as Float32Array;
    const next = argmax(logits, (length - 1) * gen.vocabSize, gen.vocabSize);
    tokens[length++] = BigInt(next);
    generated.push(next);
    tokenTimesMs.push(performance.now() - started);
  }
  const finished = performance.now();
  return {
    values: generated,
    dims: [generated.length],
    runMs: finished - started,
    tokenTimesMs,
    startedAtEpochMs: performance.timeOrigin + started,
    finishedAtEpochMs: performance.timeOrigin + finished,
  };
}

export type RunModelParameters = {
  session: ort.InferenceSession;
  model: ZooModel;
  data: Float32Array | BigInt64Array;
};

export function runModel({ session, model, data }: RunModelParameters): Promise<ModelRun> {
  if (model.textGen) {
    if (!(data instanceof BigInt64Array))
      throw new Error(`input: ${model.name} takes int64 token ids`);
    return runTextGen(session, model, data);
  }
  if (!(data instanceof Float32Array)) throw new Error(`input: ${model.name} takes float32 values`);
  return runClassifier(session, model, data);
}
