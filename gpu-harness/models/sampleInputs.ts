import seedrandom from 'seedrandom';
import type { ModelSpec } from './modelSpec.ts';
import { tensorDigest } from './quantisedDigest.ts';

/** One deterministic query input with its digest (the receipt's request binds to it). */
export type Sample = {
  index: number;
  data: Float32Array | BigInt64Array;
  dims: number[];
  inputDigest: string;
};

export type MakeSampleParameters = { model: ModelSpec; seed: number; index: number };

/**
 * Input `index` of stream `seed` for a model: floats uniform in [-1, 1) for classifiers; for
 * text models a prompt of `promptTokens` ids in [1, vocab) right-padded with 0 to contextMax.
 */
export function makeSample({ model, seed, index }: MakeSampleParameters): Sample {
  const rng = seedrandom(`input/${model.name}/${seed}/${index}`);
  const count = model.input.dims.reduce((a, b) => a * b, 1);
  let data: Float32Array | BigInt64Array;
  if (model.textGen) {
    data = new BigInt64Array(count);
    const vocab = model.textGen.vocabSize;
    for (let i = 0; i < model.textGen.promptTokens; i++) {
      data[i] = BigInt(1 + Math.floor(rng.double() * (vocab - 1)));
    }
  } else {
    data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = rng.double() * 2 - 1;
  }
  return { index, data, dims: model.input.dims, inputDigest: tensorDigest(data, model.input.dims) };
}

export type MakeSampleLibraryParameters = { model: ModelSpec; seed: number; count: number };

/** LoadGen's "performance sample set": `count` samples reused round-robin by the scenarios. */
export function makeSampleLibrary({ model, seed, count }: MakeSampleLibraryParameters): Sample[] {
  if (!Number.isInteger(count) || count < 1 || count > 4096) {
    throw new Error(`sampleCount: must be an integer in 1..4096, got ${count}`);
  }
  return Array.from({ length: count }, (_, index) => makeSample({ model, seed, index }));
}
