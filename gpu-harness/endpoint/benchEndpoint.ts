import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../sim/io/writeFileAtomic.ts';
import type { LoadgenResult } from '../loadgen/loadgenResult.ts';
import { runLoadgenScenario } from '../loadgen/runLoadgenScenario.ts';
import {
  type Arrivals,
  defaultPercentiles,
  type LoadgenScenario,
  type ProgressEvent,
  type Slo,
} from '../loadgen/testSettings.ts';
import { getModel, modelNames } from '../models/registry.ts';
import {
  type CapacityEntry,
  type CapacityProfile,
  mergeCapacityEntry,
  parseCapacityProfile,
} from '../profile/capacityProfile.ts';
import { describeMachine } from '../runtime/machine.ts';
import { createEndpointSut, endpointSamples } from './endpointSut.ts';

export type BenchEndpointParameters = {
  url: string;
  model: string;
  scenario: LoadgenScenario;
  stream: boolean;
  maxTokens: number;
  concurrencyMax: number;
  minDurationMs: number;
  minQueries: number;
  maxQueries: number;
  /** Server: arrival rate; Offline: expected samples/s (sizes the one query). */
  targetQps: number | null;
  latencyBoundMs: number;
  /** Server: Poisson (LoadGen's) or evenly spaced arrivals. */
  arrivals: Arrivals;
  /** Server: p99 send lag beyond which the client is behind (null: 25 % of the latency bound). */
  lagBoundMs: number | null;
  /** Per-request SLOs for goodput (null: no goodput reported). */
  slo: Slo | null;
  seed: number;
  sampleCount: number;
  outDir: string;
};

export type BenchEndpointResult = {
  schema: 'onesim/bench-endpoint/v1';
  command: string;
  gitCommit: string;
  parameters: BenchEndpointParameters;
  result: LoadgenResult;
  valid: boolean;
};

export function reproduceEndpointCommand(p: BenchEndpointParameters): string {
  const qps = p.targetQps === null ? '' : ` --target-qps ${p.targetQps}`;
  const server =
    p.scenario === 'server'
      ? ` --arrivals ${p.arrivals} --latency-bound-ms ${p.latencyBoundMs}${p.lagBoundMs !== null ? ` --lag-bound-ms ${p.lagBoundMs}` : ''}`
      : '';
  const slo = [
    ...(p.slo?.firstTokenMs != null ? [` --slo-ttft-ms ${p.slo.firstTokenMs}`] : []),
    ...(p.slo?.timePerOutputTokenMs != null
      ? [` --slo-tpot-ms ${p.slo.timePerOutputTokenMs}`]
      : []),
  ].join('');
  return `npx onesim bench endpoint --url ${p.url} --model ${p.model} --scenario ${p.scenario} --duration-ms ${p.minDurationMs} --min-queries ${p.minQueries} --max-tokens ${p.maxTokens} --concurrency ${p.concurrencyMax}${qps}${server}${slo}${p.stream ? '' : ' --no-stream'} --seed ${p.seed}`;
}

/** CU per generated token: the zoo model's price when the endpoint serves a zoo model, else 1. */
function costOf(model: string): { per: 'request' | 'token'; cu: number; id: string | null } {
  if (!modelNames().includes(model)) return { per: 'token', cu: 1, id: null };
  const m = getModel(model);
  return { per: 'token', cu: m.cost.cu, id: m.id };
}

/**
 * Runs one LoadGen scenario against an OpenAI-compatible endpoint. Server without a target QPS
 * and Offline without an expected rate are sized by a short Offline pilot, as `bench inference`
 * does.
 */
export async function benchEndpoint(
  p: BenchEndpointParameters,
  o: { gitCommit: string; signal?: AbortSignal; onProgress?: (e: ProgressEvent) => void },
): Promise<BenchEndpointResult> {
  const cost = costOf(p.model);
  const { samples, prompts } = endpointSamples(p.sampleCount, p.seed);
  const sut = createEndpointSut(
    {
      url: p.url,
      model: p.model,
      stream: p.stream,
      maxTokens: p.maxTokens,
      concurrencyMax: p.concurrencyMax,
      cuPerToken: cost.cu,
    },
    prompts,
  );
  const settings = (
    scenario: LoadgenScenario,
    targetQps: number | null,
    minDurationMs = p.minDurationMs,
  ) => ({
    scenario,
    minDurationMs,
    minQueries: p.minQueries,
    maxQueries: p.maxQueries,
    seed: p.seed,
    targetQps,
    latencyBoundMs: scenario === 'server' ? p.latencyBoundMs : null,
    targetPercentile: defaultPercentiles[scenario],
    confidence: 0.99,
    arrivals: p.arrivals,
    ...(p.lagBoundMs !== null ? { lagBoundMs: p.lagBoundMs } : {}),
    ...(p.slo ? { slo: p.slo } : {}),
  });
  let targetQps = p.targetQps;
  if (targetQps === null && p.scenario !== 'single-stream') {
    const pilot = await runLoadgenScenario({
      sut,
      samples,
      settings: { ...settings('offline', null, 0), minQueries: Math.min(p.minQueries, 64) },
      signal: o.signal,
    });
    // Server at half the Offline rate keeps queues short; Offline sized at 2× so the run lasts.
    targetQps = pilot.throughput.queriesPerSecond * (p.scenario === 'server' ? 0.5 : 2);
  }
  const result = await runLoadgenScenario({
    sut,
    samples,
    settings: settings(p.scenario, targetQps),
    signal: o.signal,
    onProgress: o.onProgress,
  });
  return {
    schema: 'onesim/bench-endpoint/v1',
    command: reproduceEndpointCommand(p),
    gitCommit: o.gitCommit,
    parameters: p,
    result,
    valid: result.validity.valid && !o.signal?.aborted,
  };
}

/** The run as a capacity-profile entry (the `--workers-from` schema); the machine is this client's, the provider unknown (recorded as cpu). */
export function endpointCapacityEntry(bench: BenchEndpointResult): CapacityEntry {
  const r = bench.result;
  const cost = costOf(bench.parameters.model);
  return {
    modelName: bench.parameters.model,
    modelId: cost.id ?? createHash('sha256').update(bench.parameters.model).digest('hex'),
    cuPer: cost.per,
    cuPerUnit: cost.cu,
    scenario: r.scenario,
    requestedProvider: 'cpu',
    provider: 'cpu',
    valid: r.validity.valid,
    cuPerSecond: r.throughput.cuPerSecond,
    queriesPerSecond: r.throughput.queriesPerSecond,
    tokensPerSecond: r.throughput.tokensPerSecond,
    targetQps: r.scenario === 'server' ? r.settings.targetQps : null,
    latencyBoundMs: r.scenario === 'server' ? r.settings.latencyBoundMs : null,
    latency: r.latency,
    firstToken: r.firstToken,
    timePerOutputToken: r.timePerOutputToken,
    workers: 1,
    intraOpThreads: 1,
    seed: r.settings.seed,
  };
}

function readProfile(path: string): CapacityProfile | null {
  if (!existsSync(path)) return null;
  try {
    return parseCapacityProfile(readFileSync(path, 'utf8'));
  } catch {
    return null; // a damaged profile is replaced, not merged into
  }
}

/** Writes result.json and merges the run into capacity-profile.json under the out folder (temp file + rename). */
export function writeEndpointOutputs(bench: BenchEndpointResult): {
  resultPath: string;
  profilePath: string | null;
} {
  const resultPath = join(bench.parameters.outDir, 'result.json');
  writeFileAtomic(resultPath, `${JSON.stringify(bench, null, 2)}\n`, { mkdir: true });
  if (bench.result.latency === null) return { resultPath, profilePath: null };
  const profilePath = join(bench.parameters.outDir, 'capacity-profile.json');
  const next: CapacityProfile = {
    schema: 'onesim/capacity-profile/v1',
    machine: describeMachine(),
    ortVersion: 'remote',
    gitCommit: bench.gitCommit,
    entries: [endpointCapacityEntry(bench)],
  };
  writeFileAtomic(
    profilePath,
    `${JSON.stringify(mergeCapacityEntry(readProfile(profilePath), next), null, 2)}\n`,
    { mkdir: true },
  );
  return { resultPath, profilePath };
}
