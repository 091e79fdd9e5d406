import type { Action } from './actions.ts';
import type { ProtocolEvent } from './events.ts';
import type { InvariantViolation } from './invariants/stateInvariants.ts';
import { createInvariantChecker, type InvariantChecker } from './invariants/stepInvariants.ts';
import type { Rejection, RejectionCode } from './rejections.ts';
import { cloneState } from './state.ts';
import { type StepEnv, type StepResult, step } from './step.ts';
import type { State } from './types.ts';

/**
 * The one way onesim acts on a protocol state: apply an action with `step`, count it (accepted,
 * or refused by code), tell the caller what it did (a trace, a log, the simulator's or the
 * gateway's own view), and check invariants on the caller's schedule. The simulator, the
 * gateway, the live driver, `onesim apply` and the test driver all act through it.
 */
export type InvariantSchedule = 'none' | 'step' | 'all';

/** A transition function with step's signature (the audit's planted bugs are such). */
export type StepFn = (state: State, action: Action, nowMs: number, env: StepEnv) => StepResult;

export interface ActorOptions {
  state: State;
  env: StepEnv;
  /** The transition function (default: the protocol's `step`; the audit plants broken ones). */
  step?: StepFn;
  /** After each accepted action, with its events. */
  onAccepted?: (atMs: number, action: Action, events: readonly ProtocolEvent[]) => void;
  /**
   * Which invariants to check after an accepted action: 'all' runs every state and step
   * invariant (protocol/invariants); 'step' only those of what the step did (its events, its
   * receipt: cheap); 'none' skips (the caller checks the state on its own clock, e.g. every
   * simulated hour). Default: 'none' for every action.
   */
  checks?: (action: Action, events: readonly ProtocolEvent[]) => InvariantSchedule;
  /** Keep the state before each checked step, for the step invariants that compare (costly). */
  keepPrevious?: boolean;
  /**
   * After each refused action, with the state before it when `keepPrevious` is set (a refusal
   * must leave the state as it was: the audit compares the two).
   */
  onRejected?: (atMs: number, action: Action, result: Rejection, prev: State | undefined) => void;
  /** Told of violations found by a check; without it the actor only collects them. */
  onViolation?: (action: Action, violations: InvariantViolation[]) => void;
  /** One checker for the whole run (it remembers settled receipts across steps). */
  checker?: InvariantChecker;
}

export interface Actor {
  readonly state: State;
  /** Actions accepted so far. */
  readonly accepted: number;
  /** Refusals by rejection code. */
  readonly rejections: ReadonlyMap<RejectionCode, number>;
  readonly checker: InvariantChecker;
  act(action: Action, atMs: number): StepResult;
}

export function createActor(o: ActorOptions): Actor {
  const checker = o.checker ?? createInvariantChecker();
  const rejections = new Map<RejectionCode, number>();
  const stepFn = o.step ?? step;
  let accepted = 0;
  return {
    state: o.state,
    checker,
    rejections,
    get accepted() {
      return accepted;
    },
    act(action, atMs) {
      const prev = o.keepPrevious ? cloneState(o.state) : undefined;
      const r = stepFn(o.state, action, atMs, o.env);
      if (!r.ok) {
        rejections.set(r.code, (rejections.get(r.code) ?? 0) + 1);
        o.onRejected?.(atMs, action, r, prev);
        return r;
      }
      accepted += 1;
      o.onAccepted?.(atMs, action, r.events);
      const schedule = o.checks ? o.checks(action, r.events) : 'none';
      if (schedule !== 'none') {
        const p = { prev, events: r.events, state: o.state, action, verifier: o.env.verifier };
        const v = schedule === 'all' ? checker.check(p) : checker.checkStep(p);
        if (v.length > 0) o.onViolation?.(action, v);
      }
      return r;
    },
  };
}
