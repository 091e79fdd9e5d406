import fc from 'fast-check';
import type { Action } from '../../protocol/actions.ts';
import { type Params, resolveParams } from '../../protocol/params.ts';
import {
  genesis,
  type Intent,
  intentKindArb,
  paramsArb,
  toAction,
} from '../../protocol/testing/randomRun.ts';
import type { State } from '../../protocol/types.ts';

export interface TimedAction {
  atMs: number;
  action: Action;
}

/** randomRun's intents with whole-second gaps: block timestamps are seconds. */
export const liveIntentArb = (gapSecMax = 120): fc.Arbitrary<Intent> =>
  fc.record({
    kind: intentKindArb,
    a: fc.nat(1_000_000),
    b: fc.nat(1_000_000),
    c: fc.nat(1_000_000),
    dtMs: fc
      .oneof(
        { arbitrary: fc.constant(0), weight: 10 },
        { arbitrary: fc.integer({ min: 1, max: gapSecMax }), weight: 8 },
        { arbitrary: fc.integer({ min: 1, max: 3 * 3_600 }), weight: 1 },
      )
      .map((sec) => sec * 1000),
  });

/** Random parameters the contracts can hold (the linear schedule), from a seed. */
export function randomLiveParams(seed: number): Params {
  const [p] = fc.sample(paramsArb, { seed, numRuns: 1 });
  return resolveParams({ ...p!, allotmentSchedule: { kind: 'linear' } });
}

const ceilSecMs = (ms: number) => Math.ceil(ms / 1000) * 1000;
const keeperStepsMax = 100_000;

/**
 * The keeper on whole seconds: at each day start and epoch end up to `toMs` (rounded up to the
 * second), expire jobs, start the day, settle the epoch; then expire at `toMs`.
 */
export function* keeperActions(state: State, toMs: number): Generator<TimedAction> {
  const p = state.params;
  for (let i = 0; ; i++) {
    if (i >= keeperStepsMax)
      throw new Error(`keeper made no progress after ${keeperStepsMax} steps`);
    const nextDayAt = (state.day + 1) * p.dayMs;
    const nextSettleAt = (state.lastSettledEpoch + 2) * p.settlementEpochMs;
    const at = ceilSecMs(Math.min(nextDayAt, nextSettleAt));
    if (at > toMs) break;
    yield { atMs: at, action: { type: 'expireJobs' } };
    if (at >= nextDayAt) yield { atMs: at, action: { type: 'startDay', day: state.day + 1 } };
    if (at >= nextSettleAt)
      yield { atMs: at, action: { type: 'settle', epoch: state.lastSettledEpoch + 1 } };
  }
  yield { atMs: toMs, action: { type: 'expireJobs' } };
}

export interface RandomLiveActionsParameters {
  seed: number;
  days: number;
  /** The model state the actions are applied to (read between actions, never written). */
  state: State;
  gapSecMax?: number;
}

/**
 * The `random` scenario: randomRun's funded genesis, then seeded intents turned into actions
 * against the current model state, with the keeper keeping days and epochs, for `days` days.
 * Lazy: each action is produced after the previous one was applied.
 */
export function* randomLiveActions(p: RandomLiveActionsParameters): Generator<TimedAction> {
  const { state } = p;
  const endMs = p.days * state.params.dayMs;
  for (const action of genesis(state.params)) yield { atMs: 0, action };
  const arb = liveIntentArb(p.gapSecMax);
  for (let chunk = 0; ; chunk++) {
    for (const it of fc.sample(arb, { seed: p.seed + chunk * 7_919, numRuns: 1_000 })) {
      const to = state.nowMs + it.dtMs;
      if (to > endMs) {
        yield* keeperActions(state, ceilSecMs(endMs));
        return;
      }
      yield* keeperActions(state, to);
      const action = toAction(state, it);
      if (action) yield { atMs: to, action };
    }
  }
}
