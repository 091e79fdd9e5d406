import ort from 'onnxruntime-node';
import type { ZooModel } from '../models/registry.ts';
import { missingProviderLibrary, type ProviderChoice } from './providers.ts';
import type { RuntimeOptions } from './sessionOptions.ts';

export type OpenSessionParameters = { model: ZooModel; options: RuntimeOptions };
export type OpenSessionReturnType = { session: ort.InferenceSession; choice: ProviderChoice };

function create(model: ZooModel, options: RuntimeOptions, provider: string) {
  return ort.InferenceSession.create(model.bytes, {
    executionProviders: [provider],
    intraOpNumThreads: options.intraOpThreads,
    interOpNumThreads: options.interOpThreads,
    graphOptimizationLevel: options.graphOptimizationLevel,
    executionMode: options.interOpThreads > 1 ? 'parallel' : 'sequential',
  });
}

/**
 * Opens a session on the requested provider, or on cpu when that provider cannot start; the
 * returned choice says which provider actually runs and why it fell back.
 */
export async function openSession({
  model,
  options,
}: OpenSessionParameters): Promise<OpenSessionReturnType> {
  const requested = options.provider;
  if (requested === 'cpu') {
    return {
      session: await create(model, options, 'cpu'),
      choice: { requested, provider: 'cpu', fallbackReason: null },
    };
  }
  const missing = missingProviderLibrary(requested);
  if (missing) {
    return {
      session: await create(model, options, 'cpu'),
      choice: { requested, provider: 'cpu', fallbackReason: missing },
    };
  }
  try {
    const session = await create(model, options, requested);
    return { session, choice: { requested, provider: requested, fallbackReason: null } };
  } catch (error) {
    const line = String((error as Error).message ?? error)
      .split('\n')[0]!
      .trim();
    // onnxruntime prefixes its source location; the last sentence says what went wrong.
    const reason = line
      .slice(line.lastIndexOf('. ') + 1)
      .trim()
      .slice(0, 200);
    return {
      session: await create(model, options, 'cpu'),
      choice: {
        requested,
        provider: 'cpu',
        fallbackReason: `${requested} unavailable (${reason}); ran on cpu`,
      },
    };
  }
}

export const ortVersion: string = ort.env.versions.node ?? ort.env.versions.common;
