import { quantisedDigest } from '../models/quantisedDigest.ts';
import { getModel, type ZooModel } from '../models/registry.ts';
import type { Sample } from '../models/sampleInputs.ts';
import type { Executor } from './executor.ts';
import type { InferenceResult } from './inferenceResult.ts';
import { createInlineExecutor } from './inlineExecutor.ts';
import { describeMachine, type Machine } from './machine.ts';
import type { ExecutionProvider } from './providers.ts';
import {
  assertRuntimeOptions,
  defaultRuntimeOptions,
  type RuntimeOptions,
} from './sessionOptions.ts';
import { createThreadExecutor } from './threadExecutor.ts';
import { toInferenceResult } from './toInferenceResult.ts';
import { epochNowMs } from './workerProtocol.ts';

export { queuedQueriesMax } from './executor.ts';

/** Where and how a runtime runs: recorded in every benchmark result. */
export type RuntimeInfo = {
  options: RuntimeOptions;
  modelId: string;
  modelIdBytes32: `0x${string}`;
  requestedProvider: ExecutionProvider;
  provider: ExecutionProvider;
  fallbackReason: string | null;
  ortVersion: string;
  machine: Machine;
  warmupMs: number;
};

export type Runtime = {
  info: RuntimeInfo;
  model: ZooModel;
  /** Runs one query on a free session; `issuedAtEpochMs` defaults to now (Server passes the scheduled time). */
  infer: (p: {
    sample: Sample;
    issuedAtEpochMs?: number;
    signal?: AbortSignal;
  }) => Promise<InferenceResult>;
  close: () => Promise<void>;
};

export type CreateRuntimeParameters = Partial<RuntimeOptions> & { modelName: string };

/**
 * Opens the model's sessions (warmed before the first query): `workers` worker threads, or with
 * `inline` one session on this thread. Throws UnknownModelError or RuntimeOptionError on bad input.
 */
export async function createRuntime(parameters: CreateRuntimeParameters): Promise<Runtime> {
  const options: RuntimeOptions = { ...defaultRuntimeOptions, ...parameters };
  assertRuntimeOptions(options);
  const model = getModel(options.modelName);
  const executor: Executor = options.inline
    ? await createInlineExecutor({ model, options })
    : await createThreadExecutor({ model, options });
  const first = executor.infos[0]!;
  const info: RuntimeInfo = {
    options,
    modelId: model.id,
    modelIdBytes32: model.idBytes32,
    requestedProvider: first.choice.requested,
    provider: first.choice.provider,
    fallbackReason: first.choice.fallbackReason,
    ortVersion: first.ortVersion,
    machine: describeMachine(),
    warmupMs: Math.max(...executor.infos.map((i) => i.warmupMs)),
  };
  return {
    info,
    model,
    async infer({ sample, issuedAtEpochMs = epochNowMs(), signal }) {
      const reply = await executor.run(sample.data, signal);
      return toInferenceResult({
        model,
        info,
        sample,
        reply,
        outputDigest: quantisedDigest({
          values: reply.values,
          dims: reply.dims,
          tolerance: model.tolerance,
        }),
        issuedAtEpochMs,
        receivedAtEpochMs: epochNowMs(),
      });
    },
    close: () => executor.close(),
  };
}
