import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';
import { readInputsFile } from './inputsFile.ts';
import type { LoadedModel } from './loadedModel.ts';
import type { TensorSpec } from './modelSpec.ts';
import { tensorDigest } from './quantisedDigest.ts';
import { allocTensor, elementCount, type TensorData } from './tensorData.ts';

/** One deterministic query input with its digest (the receipt's request binds to it). */
export type Sample = {
  index: number;
  /** The first input (the only one of most models). */
  data: TensorData;
  dims: number[];
  /** Every input, in the model's feed order (`inputs[0] === data`). */
  inputs: TensorData[];
  inputDigest: string;
};

type SampleModel = Pick<LoadedModel, 'name' | 'input' | 'textGen'> & {
  inputs?: TensorSpec[];
  source?: LoadedModel['source'];
};

/** Sample `index` of an operator's inputs file (round-robin), checked against its recorded sha256. */
function fileInputs(model: SampleModel, index: number): TensorData[] | null {
  const source = model.source;
  if (source?.kind !== 'file' || !source.inputsFile) return null;
  const file = readInputsFile(source.inputsFile.path, model.inputs ?? [model.input]);
  if (file.sha256 !== source.inputsFile.sha256)
    throw new Error(
      `inputs: ${file.path} now hashes to ${file.sha256}, the run used ${source.inputsFile.sha256}`,
    );
  return file.samples[index % file.samples.length]!;
}

export type MakeSampleParameters = { model: SampleModel; seed: number; index: number };

/**
 * How the harness fills an input it generates: floats uniform in [-1, 1); integers and bools
 * uniform in {0, 1} (valid as token ids, masks and type ids alike); a zoo spec may ask for a
 * range or a constant (BERT's ids, mask and token types).
 */
function fill(spec: TensorSpec, rng: seedrandom.PRNG): TensorData {
  const count = elementCount(spec.dims);
  const data = allocTensor(spec.element, count);
  const rule = spec.fill;
  if (data instanceof BigInt64Array) {
    const low = rule?.kind === 'integers' ? rule.low : 0;
    const span = rule?.kind === 'integers' ? rule.high - rule.low : 2;
    for (let i = 0; i < count; i++)
      data[i] = BigInt(
        rule?.kind === 'constant' ? rule.value : low + Math.floor(rng.double() * span),
      );
    return data;
  }
  const floats = data instanceof Float32Array || data instanceof Float64Array;
  for (let i = 0; i < count; i++) {
    if (rule?.kind === 'constant') data[i] = rule.value;
    else if (rule?.kind === 'integers')
      data[i] = rule.low + Math.floor(rng.double() * (rule.high - rule.low));
    else data[i] = floats ? rng.double() * 2 - 1 : Math.floor(rng.double() * 2);
  }
  return data;
}

/** Digest of a sample's inputs: tensorDigest of the one input, or over every input's name and digest. */
export function inputsDigest(specs: readonly TensorSpec[], inputs: readonly TensorData[]): string {
  if (specs.length === 1) return tensorDigest(inputs[0]!, specs[0]!.dims, specs[0]!.element);
  const hash = createHash('sha256').update('onesim-inputs/v1|');
  for (const [i, spec] of specs.entries())
    hash.update(`${spec.name}=${tensorDigest(inputs[i]!, spec.dims, spec.element)}|`);
  return hash.digest('hex');
}

/**
 * Input `index` of stream `seed` for a model. Single-input zoo models keep their v1 stream:
 * floats uniform in [-1, 1) for classifiers; for text models a prompt of `promptTokens` ids in
 * [1, vocab) right-padded with 0 to the input's length. Other models draw each input from its
 * own stream `input/<model>/<seed>/<index>/<input name>` (see `fill`).
 */
export function makeSample({ model, seed, index }: MakeSampleParameters): Sample {
  const specs = model.inputs ?? [model.input];
  let inputs: TensorData[];
  const supplied = fileInputs(model, index);
  if (supplied) inputs = supplied;
  else if (specs.length === 1 && model.input.element !== 'float32' && !model.textGen) {
    inputs = [
      fill(model.input, seedrandom(`input/${model.name}/${seed}/${index}/${model.input.name}`)),
    ];
  } else if (specs.length === 1) {
    const rng = seedrandom(`input/${model.name}/${seed}/${index}`);
    const count = elementCount(model.input.dims);
    if (model.textGen) {
      const data = new BigInt64Array(count);
      const vocab = model.textGen.vocabSize;
      for (let i = 0; i < model.textGen.promptTokens; i++)
        data[i] = BigInt(1 + Math.floor(rng.double() * (vocab - 1)));
      inputs = [data];
    } else if (model.input.fill) {
      inputs = [fill(model.input, rng)];
    } else {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = rng.double() * 2 - 1;
      inputs = [data];
    }
  } else {
    inputs = specs.map((s) =>
      fill(s, seedrandom(`input/${model.name}/${seed}/${index}/${s.name}`)),
    );
  }
  return {
    index,
    data: inputs[0]!,
    dims: model.input.dims,
    inputs,
    inputDigest: inputsDigest(specs, inputs),
  };
}

export type MakeSampleLibraryParameters = { model: SampleModel; seed: number; count: number };

/** LoadGen's "performance sample set": `count` samples reused round-robin by the LoadGen scenarios. */
export function makeSampleLibrary({ model, seed, count }: MakeSampleLibraryParameters): Sample[] {
  if (!Number.isInteger(count) || count < 1 || count > 4096) {
    throw new Error(`sampleCount: must be an integer in 1..4096, got ${count}`);
  }
  return Array.from({ length: count }, (_, index) => makeSample({ model, seed, index }));
}
