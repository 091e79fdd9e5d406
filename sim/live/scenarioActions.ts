import type { Action } from '../../protocol/actions.ts';
import { InputError } from '../../protocol/errors.ts';
import type { Params, ParamsInput } from '../../protocol/params.ts';
import type { Hex } from '../../protocol/types.ts';
import { runSimulation } from '../run/runSimulation.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import { scaleScenario } from '../sweep/scaleScenario.ts';
import { liveParamsInput, type TimedAction } from './randomActions.ts';

export interface ScenarioLiveActionsParameters {
  scenario: Scenario;
  seed: number;
  days: number;
  /**
   * Network size factor, as `onesim sweep --scale`: holders, workers, sponsors, the treasury and
   * the Included budget cap times this (sweep/scaleScenario.ts); a chain holds fewer actors.
   */
  scale: number;
  commit: string;
  /** Stream bound: hitting it is an error naming --scale and --days, not a silent cut. */
  actionsMax?: number;
  onDay?: (day: number) => void;
  shouldStop?: () => boolean;
}

export interface ScenarioLiveActions {
  /** The scenario as simulated: scaled, with the live parameter overrides. */
  scenario: Scenario;
  params: Params;
  /** Every action the simulation applied, in order, at whole seconds. */
  actions: TimedAction[];
  /** The simulation's final state hash: replaying `actions` on the model must give it again. */
  finalStateHash: Hex;
  status: 'completed' | 'interrupted' | 'invariant-violated';
}

export class ScenarioActionsBoundError extends InputError {
  override name = 'ScenarioActionsBoundError';
  constructor(readonly actionsMax: number) {
    super(
      `the simulation produced more than ${actionsMax} actions; use a smaller --scale or fewer --days`,
      '--scale',
    );
  }
}

const actionsMaxDefault = 2_000_000;

/**
 * A named scenario's protocol actions for a live run: the simulator runs the scaled scenario
 * with the live parameters (linear schedule, availability neutral), its actions taking effect
 * on whole seconds (block timestamps are seconds; agents keep the exact clock), and every action
 * it applies is recorded, as its trace would be. Same scenario, seed, days and scale ⇒ the same
 * stream.
 */
export async function scenarioLiveActions(
  p: ScenarioLiveActionsParameters,
): Promise<ScenarioLiveActions> {
  const base = scaleScenario(p.scenario, p.scale);
  const scenario: Scenario = { ...base, params: liveParamsInput(base.params as ParamsInput) };
  const actionsMax = p.actionsMax ?? actionsMaxDefault;
  const actions: TimedAction[] = [];
  const trace = {
    write(atMs: number, action: Action) {
      if (actions.length >= actionsMax) throw new ScenarioActionsBoundError(actionsMax);
      // A copy: the stream must not change if an agent later touches what it passed to step.
      actions.push({ atMs, action: structuredClone(action) });
    },
  };
  const record = await runSimulation({
    scenario,
    seed: p.seed,
    days: p.days,
    commit: p.commit,
    trace,
    actionTimeQuantumMs: 1_000,
    onDay: p.onDay,
    shouldStop: p.shouldStop,
  });
  return {
    scenario,
    params: record.params,
    actions,
    finalStateHash: record.finalStateHash,
    status: record.status,
  };
}
