import { createHash } from 'node:crypto';
import { tensorDigest } from '../models/quantisedDigest.ts';
import type { ZooModel } from '../models/registry.ts';
import type { Sample } from '../models/sampleInputs.ts';
import type { ChatMessage } from './chatRequest.ts';

/**
 * The model's prompt for a chat: the zoo text models take a fixed `promptTokens`-long prompt, so
 * every byte of the conversation (and the seed) is folded in through sha256, and each digest
 * byte becomes a token id in [1, vocab) (0 is padding). Same messages + seed ⇒ same tokens.
 */
export function promptSample(model: ZooModel, messages: ChatMessage[], seed: number): Sample {
  const gen = model.textGen;
  if (!gen) throw new TypeError(`model ${model.name} is not a text model`);
  const text = JSON.stringify({ seed, messages: messages.map((m) => [m.role, m.content]) });
  // The model's input length: the whole padded context, or the prompt alone with a KV cache.
  const data = new BigInt64Array(model.input.dims.reduce((a, b) => a * b, 1));
  let block = createHash('sha256').update(text).digest();
  for (let i = 0; i < gen.promptTokens; i++) {
    if (i > 0 && i % block.length === 0) block = createHash('sha256').update(block).digest();
    data[i] = BigInt(1 + (block[i % block.length]! % (gen.vocabSize - 1)));
  }
  return {
    index: 0,
    data,
    inputs: [data],
    dims: model.input.dims,
    inputDigest: tensorDigest(data, model.input.dims),
  };
}

const letters = 'abcdefghijklmnopqrstuvwxyz';

/** Token id → text: a distinct two-letter word and a space (injective for vocabularies ≤ 676). */
export function decodeToken(id: number): string {
  return `${letters[Math.floor(id / 26) % 26]}${letters[id % 26]} `;
}
