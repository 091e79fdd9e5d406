import ort from 'onnxruntime-node';
import type { LoadedModel } from '../models/loadedModel.ts';
import { makeSample } from '../models/sampleInputs.ts';
import { nodesByProvider, profileFolder } from './profileEvents.ts';
import { missingProviderLibrary, type ProviderChoice } from './providers.ts';
import { runModel } from './runModel.ts';
import type { RuntimeOptions } from './sessionOptions.ts';

export type OpenSessionParameters = { model: LoadedModel; options: RuntimeOptions };
export type OpenSessionReturnType = {
  session: ort.InferenceSession;
  choice: ProviderChoice;
  /**
   * Graph nodes per execution provider in one profiled run, when a provider other than cpu was
   * asked for: a session on cuda still runs the nodes CUDA has no kernel for on the CPU.
   */
  placement: Record<string, number> | null;
};

function create(
  model: LoadedModel,
  options: RuntimeOptions,
  provider: string,
  profilePrefix?: string,
) {
  const settings: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    intraOpNumThreads: options.intraOpThreads,
    interOpNumThreads: options.interOpThreads,
    graphOptimizationLevel: options.graphOptimizationLevel,
    executionMode: options.interOpThreads > 1 ? 'parallel' : 'sequential',
    ...(profilePrefix ? { enableProfiling: true, profileFilePrefix: profilePrefix } : {}),
  };
  // A file is opened by onnxruntime itself: a 500 MB model is never copied through JavaScript.
  if (model.path) return ort.InferenceSession.create(model.path, settings);
  return ort.InferenceSession.create(model.bytes!, settings);
}

/** Opens a session on `provider` with profiling on, runs sample 0 once and reads where nodes ran. */
async function createProfiled(model: LoadedModel, options: RuntimeOptions, provider: string) {
  const folder = profileFolder();
  const session = await create(model, options, provider, folder.prefix);
  try {
    await runModel({
      session,
      model,
      inputs: makeSample({ model, seed: options.seed, index: 0 }).inputs,
    });
  } finally {
    // Profiling stops here: later runs are not slowed by it.
    session.endProfiling();
  }
  return { session, placement: nodesByProvider(folder.read()) };
}

function reasonOf(error: unknown): string {
  const line = String((error as Error).message ?? error)
    .split('\n')[0]!
    .trim();
  // onnxruntime prefixes its source location; the last sentence says what went wrong.
  return line
    .slice(line.lastIndexOf('. ') + 1)
    .trim()
    .slice(0, 200);
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
      placement: null,
    };
  }
  const missing = missingProviderLibrary(requested);
  if (missing) {
    return {
      session: await create(model, options, 'cpu'),
      choice: { requested, provider: 'cpu', fallbackReason: missing },
      placement: null,
    };
  }
  try {
    const { session, placement } = await createProfiled(model, options, requested);
    return {
      session,
      choice: { requested, provider: requested, fallbackReason: null },
      placement,
    };
  } catch (error) {
    return {
      session: await create(model, options, 'cpu'),
      choice: {
        requested,
        provider: 'cpu',
        fallbackReason: `${requested} unavailable (${reasonOf(error)}); ran on cpu`,
      },
      placement: null,
    };
  }
}

export const ortVersion: string = ort.env.versions.node ?? ort.env.versions.common;
