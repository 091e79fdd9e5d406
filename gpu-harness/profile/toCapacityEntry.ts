import type { LoadgenResult } from '../loadgen/loadgenResult.ts';
import type { RuntimeInfo } from '../runtime/createRuntime.ts';
import type { CapacityEntry } from './capacityProfile.ts';

/** One capacity-profile entry from a finished scenario run. */
export function toCapacityEntry(
  model: { name: string; id: string; cost: { per: 'request' | 'token'; cu: number } },
  info: RuntimeInfo,
  result: LoadgenResult,
): CapacityEntry {
  return {
    modelName: model.name,
    modelId: model.id,
    cuPer: model.cost.per,
    cuPerUnit: model.cost.cu,
    scenario: result.scenario,
    requestedProvider: info.requestedProvider,
    provider: info.provider,
    valid: result.validity.valid,
    cuPerSecond: result.throughput.cuPerSecond,
    queriesPerSecond: result.throughput.queriesPerSecond,
    tokensPerSecond: result.throughput.tokensPerSecond,
    targetQps: result.scenario === 'server' ? result.settings.targetQps : null,
    latencyBoundMs: result.scenario === 'server' ? result.settings.latencyBoundMs : null,
    latency: result.latency,
    firstToken: result.firstToken,
    timePerOutputToken: result.timePerOutputToken,
    workers: info.options.workers,
    intraOpThreads: info.options.intraOpThreads,
    seed: info.options.seed,
  };
}
