import fc from 'fast-check';
import { type Action, deploymentActionTypes } from '../../protocol/actions.ts';
import {
  genesis,
  type Intent,
  type IntentKind,
  intentKinds,
  intentTime,
  kindWeights,
  paramsArb,
  toAction,
} from '../../protocol/audit/randomRun.ts';
import {
  defaultParams,
  genesisParams,
  type Params,
  type ParamsInput,
  resolveParams,
} from '../../protocol/params.ts';
import type { State } from '../../protocol/types.ts';

export interface TimedAction {
  atMs: number;
  action: Action;
}

/** Deployments: the contracts implement none, so live runs never draw them. */
const offChainKinds: ReadonlySet<IntentKind> = new Set<IntentKind>([
  'deploy',
  'scaleDeployment',
  'removeDeployment',
  'replicaReady',
]);

/**
 * What the contracts can take: no deployment action (null), and a registration without deployment
 * fields (memory, region, tags), which the contracts' registry does not have.
 */
function forChain(action: Action): Action | null {
  if (deploymentActionTypes.includes(action.type)) return null;
  // Proposals the contracts cannot express: changes that are not an object (the model refuses
  // them as InvalidParams; on chain a change list is a list, so an empty one is a valid no-op),
  // or a genesis-only parameter (rewardRules, ratio1, sealedAudit: the model's ParamImmutable,
  // a parameter the contracts do not hold).
  if (
    action.type === 'proposeParams' &&
    (typeof action.changes !== 'object' ||
      action.changes === null ||
      Array.isArray(action.changes) ||
      Object.keys(action.changes).some((k) => (genesisParams as readonly string[]).includes(k)))
  )
    return null;
  if (action.type !== 'registerWorker') return action;
  const { memoryBytes: _m, region: _r, tags: _t, ...rest } = action;
  return rest;
}

/**
 * Kinds drawn by `weights` (a kind not named weighs `unnamed`; 0 switches it off), never a
 * lease: leases are off chain.
 */
const liveKindArb = (
  weights: Partial<Record<IntentKind, number>>,
  unnamed: number,
): fc.Arbitrary<IntentKind> =>
  fc.oneof(
    ...intentKinds
      .filter((k) => k !== 'lease' && !offChainKinds.has(k) && (weights[k] ?? unnamed) > 0)
      .map((k) => ({ arbitrary: fc.constant(k), weight: weights[k] ?? unnamed })),
  );

/**
 * Intents on whole-second gaps (block timestamps are seconds): none (10), up to `gapSecMax`
 * (8), or up to `longGapSecMax` (`longGapWeight`).
 */
const intentOnSecondsArb = (
  kind: fc.Arbitrary<IntentKind>,
  gaps: { gapSecMax: number; longGapSecMax: number; longGapWeight: number },
): fc.Arbitrary<Intent> =>
  fc.record({
    kind,
    a: fc.nat(1_000_000),
    b: fc.nat(1_000_000),
    c: fc.nat(1_000_000),
    dtMs: fc
      .oneof(
        { arbitrary: fc.constant(0), weight: 10 },
        { arbitrary: fc.integer({ min: 1, max: gaps.gapSecMax }), weight: 8 },
        { arbitrary: fc.integer({ min: 1, max: gaps.longGapSecMax }), weight: gaps.longGapWeight },
      )
      .map((sec) => sec * 1000),
  });

/**
 * randomRun's kinds but leases: a lease is off chain (jobs are), so live runs spend their
 * intents on what the contracts do (the same draw as before the pull market existed).
 */
const defaultLiveKindArb = liveKindArb(kindWeights, 1);

/** randomRun's intents with whole-second gaps: block timestamps are seconds. */
export const liveIntentArb = (gapSecMax = 120): fc.Arbitrary<Intent> =>
  intentOnSecondsArb(defaultLiveKindArb, {
    gapSecMax,
    longGapSecMax: 3 * 3_600,
    longGapWeight: 1,
  });

/**
 * The kinds from a job to a jailed worker acting again, and nothing that takes workers away
 * (exits, outages, availability days, bond withdrawals): Included jobs submitted, dispatched
 * and completed, honestly or lazily; verdicts on the audits the settlements open; a confirmed
 * mismatch slashes and jails the worker, whose release comes too early (WorkerJailed) or after
 * a top-up. Unstaking and governance keep their timelocks in reach. randomRun's full mix
 * reaches a slashing in about one live run in fifty: the keeper opens audits only two epochs
 * after the receipt and resolves them one epoch later, and in between most verdicts find no
 * audit open or one already voted on.
 */
export const liveVerificationWeights: Partial<Record<IntentKind, number>> = {
  submitIncluded: 14,
  dispatch: 10,
  complete: 8,
  completeLazy: 10,
  verdict: 20,
  releaseJail: 3,
  topUpBond: 2,
  claim: 2,
  stake: 1,
  deposit: 1,
  unstake: 1,
  claimUnbonded: 1,
  propose: 1,
  execute: 1,
};

/**
 * Intents of a verification run (liveVerificationWeights): bursts a few seconds apart, so that
 * jobs finish before their deadlines, and a jump of up to 3 h one intent in ten, so that the
 * run crosses the settlements that open and resolve audits.
 */
export const liveVerificationIntentArb = (): fc.Arbitrary<Intent> =>
  intentOnSecondsArb(liveKindArb(liveVerificationWeights, 0), {
    gapSecMax: 10,
    longGapSecMax: 3 * 3_600,
    longGapWeight: 2,
  });

/**
 * Overrides every live run needs: the linear schedule, and Proof-of-Availability neutral (no
 * gate, no reward), since availability stays off chain. KYC and Proof-of-AI run on chain.
 * Only keys the model's parameters have are set.
 */
export function liveParamsInput(input: ParamsInput = {}): ParamsInput {
  const known = defaultParams() as unknown as Record<string, unknown>;
  const overrides: Record<string, unknown> = { allotmentSchedule: { kind: 'linear' } };
  const neutral: Record<string, unknown> = {
    availabilityMinScore: 0,
    availabilityRewardMicroUsdcPerDay: 0n,
  };
  for (const [k, v] of Object.entries(neutral)) if (k in known) overrides[k] = v;
  return { ...input, ...overrides } as ParamsInput;
}

/** Random parameters the contracts can hold (the linear schedule), from a seed. */
export function randomLiveParams(seed: number): Params {
  const [p] = fc.sample(paramsArb, { seed, numRuns: 1 });
  return resolveParams(liveParamsInput(p));
}

const ceilSecMs = (ms: number) => Math.ceil(ms / 1000) * 1000;
const keeperStepsMax = 100_000;

/**
 * The keeper on whole seconds: at each day start and epoch end up to `toMs` (rounded up to the
 * second), expire jobs, start the day, settle the epoch; then expire at `toMs` (unless
 * `expireAtEnd` is false: a late receipt arrives before the keeper runs).
 */
export function* keeperActions(
  state: State,
  toMs: number,
  o: { expireAtEnd?: boolean } = {},
): Generator<TimedAction> {
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
  if (o.expireAtEnd !== false) yield { atMs: toMs, action: { type: 'expireJobs' } };
}

/**
 * Genesis (randomRun's funded network, oracles included), then each intent turned into an
 * action against the current model state, with the keeper keeping days and epochs; stops at `endMs` if given.
 * Lazy: each action is produced after the previous one was applied to `state`.
 */
export function* intentActions(
  state: State,
  intents: Iterable<Intent>,
  endMs = Number.POSITIVE_INFINITY,
): Generator<TimedAction> {
  for (const action of genesis(state.params)) yield { atMs: 0, action: forChain(action)! };
  // The last time acted at: the model's clock stays behind it when that action was refused.
  let clockMs = 0;
  for (const it of intents) {
    // randomRun's clock: `jump` intents go to the contended moments (an epoch's or a day's end,
    // a late receipt, a reservation's end or close), on the whole second at or after them.
    const { toMs, late } = intentTime(state, it);
    const to = Math.max(clockMs, ceilSecMs(toMs));
    clockMs = to;
    if (to > endMs) {
      yield* keeperActions(state, ceilSecMs(endMs));
      return;
    }
    yield* keeperActions(state, to, { expireAtEnd: !late });
    const action = toAction(state, it);
    const onChain = action && forChain(action);
    if (onChain) yield { atMs: to, action: onChain };
  }
}

export interface RandomLiveActionsParameters {
  seed: number;
  days: number;
  /** The model state the actions are applied to (read between actions, never written). */
  state: State;
  gapSecMax?: number;
}

/** The `random` scenario: seeded intents for `days` days (see intentActions). */
export function randomLiveActions(p: RandomLiveActionsParameters): Generator<TimedAction> {
  const arb = liveIntentArb(p.gapSecMax);
  function* intents(): Generator<Intent> {
    for (let chunk = 0; ; chunk++)
      yield* fc.sample(arb, { seed: p.seed + chunk * 7_919, numRuns: 1_000 });
  }
  return intentActions(p.state, intents(), p.days * p.state.params.dayMs);
}
