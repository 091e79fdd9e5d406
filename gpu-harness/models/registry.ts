import { cnnSpec } from './cnn.ts';
import { mlpSpec } from './mlp.ts';
import { modelIdHex, toBytes32 } from './modelId.ts';
import type { ModelSpec } from './modelSpec.ts';
import { tinyLmSpec } from './tinyLm.ts';

/** A zoo model with its bytes and content address (the receipt's `model` field). */
export type ZooModel = ModelSpec & { bytes: Uint8Array; id: string; idBytes32: `0x${string}` };

/** Unknown model name; `field` is `model`. */
export class UnknownModelError extends Error {
  override name = 'UnknownModelError';
  readonly field = 'model';
  constructor(readonly value: string) {
    super(`model: unknown model ${JSON.stringify(value)} (known: ${modelNames().join(', ')})`);
  }
}

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
];

const built = new Map<string, ZooModel>();

export function modelNames(): string[] {
  return specs.map((s) => s.name);
}

/** Specs of every zoo model, in registry order (no model is built). */
export function listModels(): readonly ModelSpec[] {
  return specs;
}

/** Builds (once per process) and returns a zoo model. Throws UnknownModelError. */
export function getModel(name: string): ZooModel {
  const cached = built.get(name);
  if (cached) return cached;
  const spec = specs.find((s) => s.name === name);
  if (!spec) throw new UnknownModelError(name);
  const bytes = spec.build();
  const id = modelIdHex(bytes);
  const model: ZooModel = { ...spec, bytes, id, idBytes32: toBytes32(id) };
  built.set(name, model);
  return model;
}
