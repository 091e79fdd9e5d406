import type { LoadedModel } from '../models/loadedModel.ts';
import { quantisedDigest } from '../models/quantisedDigest.ts';
import { getModel, type ZooModel } from '../models/registry.ts';
import type { Sample } from '../models/sampleInputs.ts';
import type { Executor } from './executor.ts';
import { describeGpu, type GpuInfo } from './gpuInfo.ts';
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
  /** Graph nodes per execution provider in a profiled run; null on a plain cpu session. */
  placement: Record<string, number> | null;
  ortVersion: string;
  machine: Machine;
  /** Devices, driver and GPU library versions, when a GPU provider actually ran; else null. */
  gpu: GpuInfo | null;
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

/** A zoo model by name, or any loaded model (an operator's file, a reduced zoo variant). */
export type CreateRuntimeParameters = Partial<RuntimeOptions> & {
  modelName: string;
  model?: LoadedModel;
};

/**
 * Opens the model's sessions (warmed before the first query): `workers` worker threads, or with
 * `inline` one session on this thread. Throws UnknownModelError or RuntimeOptionError on bad input.
 */
export async function createRuntime(parameters: CreateRuntimeParameters): Promise<Runtime> {
  const { model: given, ...rest } = parameters;
  const options: RuntimeOptions = { ...defaultRuntimeOptions, ...rest };
  assertRuntimeOptions(options);
  const model = given ?? getModel(options.modelName);
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
    placement: first.placement,
    ortVersion: first.ortVersion,
    machine: describeMachine(),
    gpu:
      first.choice.provider === 'cuda' || first.choice.provider === 'tensorrt'
        ? describeGpu()
        : null,
    warmupMs: Math.max(...executor.infos.map((i) => i.warmupMs)),
  };
  return {
    info,
    model,
    async infer({ sample, issuedAtEpochMs = epochNowMs(), signal }) {
      const reply = await executor.run(sample.inputs, signal);
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
