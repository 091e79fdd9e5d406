import type { Action } from './actions.ts';
import { createActor } from './actor.ts';
import type { Params } from './params.ts';
import type { Rejection } from './rejections.ts';
import { createState } from './state.ts';
import { stateHash } from './stateHash.ts';
import type { StepEnv } from './step.ts';
import type { Hex, State } from './types.ts';

export interface LoggedAction {
  atMs: number;
  action: Action;
}

/** A replay from genesis: the state, and the first action the protocol refused (a log holds accepted actions only). */
export interface Replayer {
  readonly state: State;
  /** Actions applied so far (accepted or not). */
  readonly applied: number;
  readonly firstRejection: (Rejection & { index: number }) | null;
  apply(atMs: number, action: Action): void;
}

/** Re-applies logged actions one by one from genesis (invariant 10); trace and log replays build on it. */
export function createReplayer(params: Params, env: StepEnv): Replayer {
  const state = createState(params);
  const actor = createActor({ state, env });
  let applied = 0;
  let firstRejection: Replayer['firstRejection'] = null;
  return {
    state,
    get applied() {
      return applied;
    },
    get firstRejection() {
      return firstRejection;
    },
    apply(atMs, action) {
      const r = actor.act(action, atMs);
      if (!r.ok && !firstRejection) firstRejection = { ...r, index: applied };
      applied += 1;
    },
  };
}

/** Inv. 10: replays a log of accepted actions from genesis; returns the final state hash. */
export function replayLog(params: Params, log: Iterable<LoggedAction>, env: StepEnv): Hex {
  const replayer = createReplayer(params, env);
  for (const { atMs, action } of log) {
    replayer.apply(atMs, action);
    const r = replayer.firstRejection;
    if (r)
      throw new Error(
        `replay: action ${r.index} (${action.type}) rejected: ${r.code}: ${r.message}`,
      );
  }
  return stateHash(replayer.state);
}
