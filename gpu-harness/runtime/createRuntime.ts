import { Piscina } from 'piscina';
import { getModel, type ZooModel } from '../models/registry.ts';
import type { Sample } from '../models/sampleInputs.ts';
import type { InferenceResult } from './inferenceResult.ts';
import { describeMachine, type Machine } from './machine.ts';
import type { ExecutionProvider } from './providers.ts';
import {
  assertRuntimeOptions,
  defaultRuntimeOptions,
  type RuntimeOptions,
} from './sessionOptions.ts';
import { toInferenceResult } from './toInferenceResult.ts';
import { epochNowMs, type WorkerInferReply, type WorkerInfo } from './workerProtocol.ts';

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
  /** Runs one query on a free worker; `issuedAtEpochMs` defaults to now (Server passes the scheduled time). */
  infer: (p: {
    sample: Sample;
    issuedAtEpochMs?: number;
    signal?: AbortSignal;
  }) => Promise<InferenceResult>;
  close: () => Promise<void>;
};

export type CreateRuntimeParameters = Partial<RuntimeOptions> & { modelName: string };

/** Bound on queries waiting for a worker; hitting it is an error, never a silent slowdown. */
export const queuedQueriesMax = 10_000;

/**
 * Starts `workers` worker threads, each with its own onnxruntime session (opened and warmed
 * before the first query). Throws UnknownModelError or RuntimeOptionError on bad input.
 */
export async function createRuntime(parameters: CreateRuntimeParameters): Promise<Runtime> {
  const options: RuntimeOptions = { ...defaultRuntimeOptions, ...parameters };
  assertRuntimeOptions(options);
  const model = getModel(options.modelName);
  const pool = new Piscina({
    filename: new URL('./workerEntry.mjs', import.meta.url).href,
    workerData: options,
    minThreads: options.workers,
    maxThreads: options.workers,
    maxQueue: queuedQueriesMax,
    idleTimeout: 2 ** 31 - 1,
  });
  const infos = (await Promise.all(
    Array.from({ length: options.workers }, () => pool.run({ kind: 'info' })),
  )) as WorkerInfo[];
  const first = infos[0]!;
  const info: RuntimeInfo = {
    options,
    modelId: model.id,
    modelIdBytes32: model.idBytes32,
    requestedProvider: first.choice.requested,
    provider: first.choice.provider,
    fallbackReason: first.choice.fallbackReason,
    ortVersion: first.ortVersion,
    machine: describeMachine(),
    warmupMs: Math.max(...infos.map((i) => i.warmupMs)),
  };
  return {
    info,
    model,
    async infer({ sample, issuedAtEpochMs = epochNowMs(), signal }) {
      const task = { kind: 'infer', data: sample.data, issuedAtEpochMs };
      const reply = (await pool.run(task, signal ? { signal } : {})) as WorkerInferReply;
      return toInferenceResult({
        model,
        info,
        sample,
        reply,
        issuedAtEpochMs,
        receivedAtEpochMs: epochNowMs(),
      });
    },
    close: () => pool.destroy(),
  };
}
