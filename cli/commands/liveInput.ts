import { type ActionType, deploymentActionTypes } from '../../protocol/actions.ts';
import { type Params, rewardRulesOf } from '../../protocol/params.ts';
import type { Hex, State } from '../../protocol/types.ts';
import { scenarios } from '../../scenarios/index.ts';
import { randomLiveActions, randomLiveParams } from '../../sim/live/randomActions.ts';
import type { ActionSource } from '../../sim/live/runLive.ts';
import { scenarioLiveActions } from '../../sim/live/scenarioActions.ts';
import { UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { createProgress, type onInterrupt } from '../progress.ts';
import { readActionFile } from './apply.ts';
import { harnessInput } from './liveHarness.ts';
import { resolveScenario } from './run.ts';

/** What `onesim live` runs: parameters, actions and how to describe them. */
export interface LiveInput {
  kind: 'random' | 'file' | 'scenario' | 'harness';
  params: Params;
  actions: ActionSource;
  /** Actions in the stream when known up front (progress bar), else null. */
  total: number | null;
  days: number | null;
  scale: number | null;
  /** The simulation's final state hash (named scenarios): the live model must reach it too. */
  simStateHash: string | null;
  simStatus: string | null;
  /** Flags that reproduce the stream, after `onesim live <scenario>`. */
  flags: string;
  /** Real signatures (the harness): their signers' keys, pinned to their own addresses. */
  signatures?: 'sim' | 'chain';
  pinnedKeys?: Hex[];
  /** Releases what the input holds (the harness's inference sessions). */
  close?: () => Promise<void>;
  /** What the run does differently from the scenario as named (printed, and in --json). */
  notes?: string[];
}

export interface LiveInputOptions {
  seed: number;
  days?: string;
  scale?: string;
  model?: string;
  jobs?: string;
  commit: string;
  interrupt: ReturnType<typeof onInterrupt>;
}

const parseDays = (text: string) =>
  parseNumber('--days', text, { integer: true, min: 1, max: 3_650 });

/**
 * `random` (seeded random actions), an action file (.json, the replay-file format), or a named
 * scenario / scenario file, simulated first (scaled down, whole seconds) for its action stream.
 */
export async function liveInput(scenario: string, o: LiveInputOptions): Promise<LiveInput> {
  const isScenario = scenario !== 'random' && scenario !== 'harness' && !scenario.endsWith('.json');
  if ((o.model !== undefined || o.jobs !== undefined) && scenario !== 'harness')
    throw new UsageError(
      `--model/--jobs: only the harness scenario runs a model (got ${scenario})`,
      o.model !== undefined ? '--model' : '--jobs',
    );
  if (scenario === 'harness') return harnessLiveInput(o);
  if (o.scale !== undefined && !isScenario)
    throw new UsageError(
      `--scale=${o.scale}: only a named scenario or scenario file is scaled`,
      '--scale',
    );
  if (scenario === 'random') {
    const days = parseDays(o.days ?? '3');
    return {
      kind: 'random',
      params: randomLiveParams(o.seed),
      actions: (state: State) => randomLiveActions({ seed: o.seed, days, state }),
      total: null,
      days,
      scale: null,
      simStateHash: null,
      simStatus: null,
      flags: ` --days ${days} --seed ${o.seed}`,
    };
  }
  if (scenario.endsWith('.json')) {
    if (o.days !== undefined)
      throw new UsageError(`--days=${o.days}: an action file has its own times`, '--days');
    const file = readActionFile(scenario);
    const actions = file.actions as Array<{ atMs: number; action: never }>;
    refuseDeployments(actions);
    return {
      kind: 'file',
      params: file.params,
      actions,
      total: actions.length,
      days: null,
      scale: null,
      simStateHash: null,
      simStatus: null,
      flags: '',
    };
  }
  return namedScenarioInput(scenario, o);
}

async function harnessLiveInput(o: LiveInputOptions): Promise<LiveInput> {
  if (o.days !== undefined)
    throw new UsageError(`--days=${o.days}: the harness run lasts until its jobs settle`, '--days');
  const model = o.model ?? 'mlp-s';
  const jobs = parseNumber('--jobs', o.jobs ?? '16', { integer: true, min: 1, max: 10_000 });
  const h = await harnessInput({ model, jobs, seed: o.seed });
  return {
    kind: 'harness',
    params: h.params,
    actions: h.actions,
    total: null,
    days: null,
    scale: null,
    simStateHash: null,
    simStatus: null,
    flags: ` --model ${model} --jobs ${jobs} --seed ${o.seed}`,
    signatures: 'chain',
    pinnedKeys: h.pinnedKeys,
    close: h.close,
  };
}

/**
 * The contracts implement no deployments: an action file that deploys, or registers a worker with
 * memory, region or tags, exits 2 naming the first such field before any node is contacted.
 */
function refuseDeployments(actions: ReadonlyArray<{ action: unknown }>): void {
  actions.forEach(({ action }, i) => {
    const a = action as Record<string, unknown>;
    if (deploymentActionTypes.includes(a.type as ActionType))
      throw new UsageError(
        `actions[${i}].action.type = "${String(a.type)}": the contracts implement no deployments`,
        `actions[${i}].action.type`,
      );
    if (a.type === 'registerWorker')
      for (const field of ['memoryBytes', 'region', 'tags'])
        if (a[field] !== undefined)
          throw new UsageError(
            `actions[${i}].action.${field}: the contracts' registry has no deployment fields`,
            `actions[${i}].action.${field}`,
          );
  });
}

/** Default share of a named scenario's populations on chain: `baseline` for a day in ~15 s. */
export const liveScaleDefault = 0.1;

async function namedScenarioInput(name: string, o: LiveInputOptions): Promise<LiveInput> {
  if (!(name in scenarios) && !/\.(ts|js|mjs)$/.test(name))
    throw new UsageError(
      `scenario ${JSON.stringify(name)}: expected "random", a named scenario (${Object.keys(scenarios).join(', ')}), a scenario file (.ts) or an action file (.json)`,
      'scenario',
    );
  const named = await resolveScenario(name);
  // The contracts have no deployments (placement, replicas, transfers): refused before simulating.
  if ((named as { deployments?: unknown }).deployments !== undefined)
    throw new UsageError(
      `${named.name} sets deployments: the contracts implement no deployments (placement, replicas, replicaReady), so it cannot run live; onesim run ${named.name} simulates it`,
      'deployments',
    );
  // The contracts implement ONE's reward rules only: a scenario under other rules (Ratio1's in
  // presence-vs-work) runs its 'one' cell, the same network and adversaries, and says so.
  const rules = rewardRulesOf(named.params);
  const loaded =
    rules === 'one'
      ? named
      : { ...named, params: { ...named.params, rewardRules: 'one' as const } };
  const notes =
    rules === 'one'
      ? []
      : [
          `${named.name} sets params.rewardRules = "${rules}"; the contracts implement ONE's reward rules only, so this runs its "one" cell (same network and adversaries): onesim sweep ${named.name} --grid params.rewardRules=one,${rules} compares both in the model`,
        ];
  const days = o.days === undefined ? loaded.days : parseDays(o.days);
  const scale =
    o.scale === undefined
      ? liveScaleDefault
      : parseNumber('--scale', o.scale, { minExclusive: 0, max: 1 });
  const progress = createProgress('simulating', days);
  let sim: Awaited<ReturnType<typeof scenarioLiveActions>>;
  try {
    sim = await scenarioLiveActions({
      scenario: loaded,
      seed: o.seed,
      days,
      scale,
      commit: o.commit,
      onDay: (d) => progress.update(d),
      shouldStop: () => o.interrupt.requested,
    });
  } finally {
    progress.stop();
  }
  return {
    kind: 'scenario',
    params: sim.params,
    actions: sim.actions,
    total: sim.actions.length,
    days,
    scale,
    simStateHash: sim.finalStateHash,
    simStatus: sim.status,
    flags: ` --days ${days} --seed ${o.seed} --scale ${scale}`,
    notes,
  };
}
