import { readFileSync } from 'node:fs';
import { InputError } from '../../protocol/errors.ts';
import { bertSpec } from './bert.ts';
import { cnnSpec } from './cnn.ts';
import { gpt2Spec } from './gpt2.ts';
import type { LoadedModel } from './loadedModel.ts';
import { mlpSpec } from './mlp.ts';
import { cachedModel } from './modelCache.ts';
import { modelIdHex, toBytes32 } from './modelId.ts';
import type { ModelSpec } from './modelSpec.ts';
import { resNetSpec } from './resnet.ts';
import { tinyLmSpec } from './tinyLm.ts';

export type { LoadedModel } from './loadedModel.ts';
/** A zoo model with its bytes (or cached file) and content address (the receipt's `model` field). */
export type ZooModel = LoadedModel;

/** Unknown model name; `field` is `model`. */
export class UnknownModelError extends InputError {
  override name = 'UnknownModelError';
  declare readonly field: 'model';
  constructor(readonly value: string) {
    super(
      `model: unknown model ${JSON.stringify(value)} (known: ${modelNames().join(', ')})`,
      'model',
    );
  }
}

/** The toy models (built in memory, milliseconds) and the realistic ones (built once, cached). */
const specs: readonly ModelSpec[] = [
  mlpSpec('mlp-s', { inputs: 512, hidden: 1024, outputs: 16 }),
  cnnSpec('cnn-s', { side: 64, channels: [16, 32], classes: 10 }),
  tinyLmSpec('tinylm-s', {
    vocabSize: 256,
    contextMax: 64,
    promptTokens: 8,
    newTokensMax: 16,
    modelWidth: 128,
    mlpWidth: 512,
  }),
  resNetSpec(
    'resnet50',
    { side: 224, stemWidth: 64, widths: [64, 128, 256, 512], blocks: [3, 4, 6, 3], classes: 1000 },
    {
      latencyBoundMs: 15,
      pinnedId: '10737ed3b7fda40bcfc6e7012a4836daab8f2a8557429f72295a5bc979391697',
    },
  ),
  bertSpec(
    'bert-base',
    {
      vocabSize: 30522,
      width: 768,
      layers: 12,
      heads: 12,
      ffnWidth: 3072,
      positionsMax: 512,
      seq: 128,
    },
    {
      latencyBoundMs: 130,
      pinnedId: 'cf18f07d80f700c5ff73b0db551c1d20ffca912a4a395673136d0fc303aa5d79',
    },
  ),
  gpt2Spec(
    'gpt2-small',
    {
      vocabSize: 50257,
      width: 768,
      layers: 12,
      heads: 12,
      contextMax: 1024,
      promptTokens: 128,
      newTokensMax: 16,
    },
    {
      latencyBoundMs: 1000,
      pinnedId: '084e0067f0327033260fd161206caee89af452c8ee691912fc909567b0631b8c',
    },
  ),
];

const built = new Map<string, ZooModel>();

export function modelNames(): string[] {
  return specs.map((s) => s.name);
}

/** Specs of every zoo model, in registry order (no model is built). */
export function listModels(): readonly ModelSpec[] {
  return specs;
}

/**
 * A spec as a runnable model. Pinned (large) models live in the cache by content hash and are
 * opened from that file; the others are built in memory. Exported so tests can run reduced-size
 * variants of the same builders through everything the zoo goes through.
 */
export function loadSpec(spec: ModelSpec, o: { cacheDir?: string } = {}): ZooModel {
  const { build: _build, inputs, ...rest } = spec;
  const base = { ...rest, inputs: inputs ?? [spec.input], source: { kind: 'zoo' as const } };
  if (spec.pinnedId) {
    const cached = cachedModel({
      name: spec.name,
      pinnedId: spec.pinnedId,
      build: spec.build,
      ...(o.cacheDir ? { dir: o.cacheDir } : {}),
    });
    return {
      ...base,
      bytes: null,
      path: cached.path,
      id: cached.id,
      idBytes32: toBytes32(cached.id),
    };
  }
  const bytes = spec.build();
  const id = modelIdHex(bytes);
  return { ...base, bytes, path: null, id, idBytes32: toBytes32(id) };
}

/** Builds (once per process, from the cache when pinned) and returns a zoo model. Throws UnknownModelError. */
export function getModel(name: string): ZooModel {
  const cached = built.get(name);
  if (cached) return cached;
  const spec = specs.find((s) => s.name === name);
  if (!spec) throw new UnknownModelError(name);
  const model = loadSpec(spec);
  built.set(name, model);
  return model;
}

/** The model's bytes: in memory, or read from its file. */
export function modelBytes(model: LoadedModel): Uint8Array {
  if (model.bytes) return model.bytes;
  if (model.path) return readFileSync(model.path);
  throw new Error(`model ${model.name}: neither bytes nor a file`);
}
