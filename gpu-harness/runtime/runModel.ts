import ort from 'onnxruntime-node';
import type { LoadedModel } from '../models/loadedModel.ts';
import type { TensorData } from '../models/tensorData.ts';

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

const feedsOf = (model: LoadedModel, inputs: readonly TensorData[]) => {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [i, spec] of model.inputs.entries())
    feeds[spec.name] = new ort.Tensor(spec.element, inputs[i]!, spec.dims);
  return feeds;
};

/** The bound output as float32 (floats) or plain numbers (integers, bools). */
function outputValues(tensor: ort.Tensor): Float32Array | number[] {
  const data = tensor.data;
  if (data instanceof Float32Array) return data;
  if (data instanceof Float64Array) return Float32Array.from(data);
  if (data instanceof BigInt64Array) return Array.from(data, (v) => Number(v));
  return Array.from(data as ArrayLike<number>);
}

async function runClassifier(
  session: ort.InferenceSession,
  model: LoadedModel,
  inputs: readonly TensorData[],
): Promise<ModelRun> {
  const feeds = feedsOf(model, inputs);
  const started = performance.now();
  const out = await session.run(feeds);
  const finished = performance.now();
  const tensor = out[model.output.name]!;
  return {
    values: outputValues(tensor),
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
  model: LoadedModel,
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
  return finishText(generated, tokenTimesMs, started);
}

function finishText(generated: number[], tokenTimesMs: number[], started: number): ModelRun {
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

/**
 * Greedy decoding with a key/value cache (KvCacheSpec): the prompt runs once with an empty
 * past, then each generated token runs alone, the `present` outputs fed back as the next past.
 * Time to first token is the prompt's run; the gaps after it are the time per output token.
 */
async function runTextGenKv(
  session: ort.InferenceSession,
  model: LoadedModel,
  prompt: BigInt64Array,
): Promise<ModelRun> {
  const gen = model.textGen!;
  const kv = gen.kvCache!;
  const empty = new Float32Array(0);
  const feeds: Record<string, ort.Tensor> = {
    [model.input.name]: new ort.Tensor('int64', prompt, [1, prompt.length]),
  };
  for (let l = 0; l < kv.layers; l++)
    for (const part of ['key', 'value'])
      feeds[`past_key_values.${l}.${part}`] = new ort.Tensor('float32', empty, [
        1,
        kv.heads,
        0,
        kv.headDim,
      ]);
  const generated: number[] = [];
  const tokenTimesMs: number[] = [];
  const started = performance.now();
  let length = prompt.length;
  while (generated.length < gen.newTokensMax && length < gen.contextMax) {
    const out = await session.run(feeds);
    const next = argmax(out[model.output.name]!.data as Float32Array, 0, gen.vocabSize);
    generated.push(next);
    tokenTimesMs.push(performance.now() - started);
    length++;
    feeds[model.input.name] = new ort.Tensor('int64', BigInt64Array.of(BigInt(next)), [1, 1]);
    for (let l = 0; l < kv.layers; l++)
      for (const part of ['key', 'value'])
        feeds[`past_key_values.${l}.${part}`] = out[`present.${l}.${part}`]!;
  }
  return finishText(generated, tokenTimesMs, started);
}

export type RunModelParameters = {
  session: ort.InferenceSession;
  model: LoadedModel;
  /** Every input in the model's feed order. */
  inputs: readonly TensorData[];
};

export function runModel({ session, model, inputs }: RunModelParameters): Promise<ModelRun> {
  if (model.textGen) {
    const prompt = inputs[0];
    if (!(prompt instanceof BigInt64Array))
      throw new Error(`input: ${model.name} takes int64 token ids`);
    return model.textGen.kvCache
      ? runTextGenKv(session, model, prompt)
      : runTextGen(session, model, prompt);
  }
  if (inputs.length !== model.inputs.length)
    throw new Error(
      `input: ${model.name} takes ${model.inputs.length} inputs, got ${inputs.length}`,
    );
  return runClassifier(session, model, inputs);
}
