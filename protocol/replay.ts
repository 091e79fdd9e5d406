import type { Action } from './actions.ts';
import type { Params } from './params.ts';
import { createState } from './state.ts';
import { stateHash } from './stateHash.ts';
import { type StepEnv, step } from './step.ts';
import type { Hex } from './types.ts';

export interface LoggedAction {
  atMs: number;
  action: Action;
}

/** Inv. 10: replays a log of accepted actions from genesis; returns the final state hash. */
export function replayLog(params: Params, log: Iterable<LoggedAction>, env: StepEnv): Hex {
  const state = createState(params);
  let i = 0;
  for (const { atMs, action } of log) {
    const r = step(state, action, atMs, env);
    if (!r.ok)
      throw new Error(`replay: action ${i} (${action.type}) rejected: ${r.code}: ${r.message}`);
    i++;
  }
  return stateHash(state);
}
