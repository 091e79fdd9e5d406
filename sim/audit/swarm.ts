import fc from 'fast-check';
import {
  type Intent,
  type IntentKind,
  intentArbFor,
  intentKinds,
  kindWeights,
  type RunOptions,
} from '../../protocol/audit/randomRun.ts';

/**
 * Swarm testing (Groce et al.): each run switches some intent kinds off and skews the weights
 * of the rest, so corners that a uniform mix drowns out (no withdrawals at all, only claims…)
 * get runs of their own. A weight of 0 means the kind is disabled in this run. `shortGaps` keeps
 * every long time jump within one settlement epoch, so audits opened at one settlement stay open
 * long enough to collect verdicts before the next (with long jumps, the keeper opens and resolves
 * them in the same breath).
 */
export interface SwarmConfig {
  weights: Partial<Record<IntentKind, number>>;
  shortGaps: boolean;
  /**
   * A market run: its first intent is a reservation, so Dedicated jobs contend from the start,
   * and time moves in steps of at most a minute except for `jump` intents (to an epoch or day
   * boundary, a time-out, a reservation's end or close), so jobs live long enough to finish.
   */
  market?: boolean;
}

/** The default settlement epoch (6 h): short-gap runs cross at most one boundary per jump. */
const epochMs = 21_600_000;
/** Market runs move a minute at most per intent: `jump` intents take them to the boundaries. */
const marketGapMs = 60_000;

const skewArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.constantFrom(1, 2, 4, 8), weight: 3 },
);

/**
 * The kinds a job needs from submission to a verdict, in both lanes. Switching kinds off at
 * random leaves all of them on in only a few runs, and the deep end (Dedicated jobs contending
 * with Included ones, receipts at boundaries, a lazy receipt audited, a confirmed mismatch,
 * slashing, jail and its release) needs every one: three runs in four keep them.
 */
export const pipelineKinds: readonly IntentKind[] = [
  'submitIncluded',
  'submitDedicated',
  'reserve',
  'dispatch',
  'lease',
  'complete',
  'completeBad',
  'completeLazy',
  'jump',
  'verdict',
  'topUpBond',
  'releaseJail',
];

/**
 * The market: both lanes' jobs from submission to settlement and a reservation's end, and
 * nothing that takes workers away (no exits, outages or availability days). A third of the runs
 * are market runs (issue 21: priority and price bugs need Dedicated jobs at their rate limit
 * while Included jobs queue, receipts at boundaries, reservations ending with jobs in flight,
 * which the full mix reaches once in hundreds of runs).
 */
export const marketWeights: Partial<Record<IntentKind, number>> = {
  submitIncluded: 6,
  submitDedicated: 8,
  reserve: 3,
  endReservation: 1,
  dispatch: 6,
  lease: 6,
  complete: 8,
  completeBad: 8,
  completeLazy: 1,
  fail: 1,
  jump: 5,
  claim: 1,
  claimBad: 1,
  verdict: 3,
  unstake: 1,
  stake: 1,
  setOnline: 1,
};
export const marketKinds = Object.keys(marketWeights) as IntentKind[];

/**
 * The full mix posts availability more often than `kindWeights` (which the property suites
 * share): a day's scores count only when enough oracles posted before it closed, and at
 * kindWeights' rates every availability day of 200 runs but one closed faulty. It also registers
 * more often.
 */
export const fullMixWeights: Partial<Record<IntentKind, number>> = {
  postAvailability: 6,
  closeAvailability: 2,
  // Registrations reach the configuration rules (the candidate's, often with one thing wrong).
  registerWorker: 3,
};

export const swarmArb: fc.Arbitrary<SwarmConfig> = fc
  .tuple(
    fc.tuple(...intentKinds.map(() => skewArb)),
    fc.boolean(),
    fc.nat(3).map((n) => n > 0),
    fc.nat(2).map((n) => n === 0),
  )
  .map(([skews, shortGaps, keepPipeline, market]) => {
    const weights: SwarmConfig['weights'] = {};
    intentKinds.forEach((k, i) => {
      // Market runs: their own mix, each weight at most doubled (×1 or ×2 by the skew).
      if (market) weights[k] = (marketWeights[k] ?? 0) * (skews[i]! > 2 ? 2 : 1);
      else {
        const kept = keepPipeline && pipelineKinds.includes(k);
        weights[k] =
          (fullMixWeights[k] ?? kindWeights[k] ?? 1) * (kept ? Math.max(1, skews[i]!) : skews[i]!);
      }
    });
    // A run with every kind disabled would test nothing: fall back to the default mix.
    if (intentKinds.every((k) => weights[k] === 0))
      for (const k of intentKinds) weights[k] = kindWeights[k] ?? 1;
    return { weights, shortGaps: shortGaps || market, ...(market ? { market } : {}) };
  });

export const enabledKinds = (swarm: SwarmConfig): IntentKind[] =>
  intentKinds.filter((k) => (swarm.weights[k] ?? 0) > 0);

/** An intent whose kind is still a roll of the dice: the swarm turns the roll into a kind. */
export type RawIntent = Omit<Intent, 'kind'> & { roll: number };

/** Rolls are independent of the swarm, so fast-check shrinks intents and swarm separately. */
export const rawIntentsArb = (maxLength = 160): fc.Arbitrary<RawIntent[]> =>
  fc.array(
    fc
      .tuple(fc.nat(0xffff), intentArbFor(fc.constant<IntentKind>('dispatch')))
      .map(([roll, { kind: _, ...rest }]) => ({ roll, ...rest })),
    { minLength: 1, maxLength, size: 'max' },
  );

/** Picks each intent's kind from the swarm's weights (cumulative, by the roll); paces time. */
export function applySwarm(swarm: SwarmConfig, raw: readonly RawIntent[]): Intent[] {
  const kinds = enabledKinds(swarm);
  const weight = (k: IntentKind) => swarm.weights[k]!;
  const total = kinds.reduce((sum, k) => sum + weight(k), 0);
  return raw.map(({ roll, dtMs, ...rest }, i) => {
    let x = roll % total;
    const drawn = kinds.find((k) => {
      x -= weight(k);
      return x < 0;
    })!;
    const kind = swarm.market && i === 0 ? 'reserve' : drawn;
    const gapMs = swarm.market ? dtMs % marketGapMs : swarm.shortGaps ? dtMs % epochMs : dtMs;
    return { kind, ...rest, dtMs: gapMs };
  });
}

/** Adversaries: colluding oracles, lazy workers, and committees small enough to capture. */
export interface Adversaries extends RunOptions {
  committee: { size: number; quorum: number } | null;
  /** Audit every settled receipt, so lazy workers and captured committees meet verdicts. */
  auditAll: boolean;
}

export const adversariesArb: fc.Arbitrary<Adversaries> = fc.record({
  colluders: fc.integer({ min: 0, max: 3 }),
  lazyWorkers: fc.boolean(),
  committee: fc.option(
    fc.integer({ min: 1, max: 5 }).chain((size) =>
      fc.record({
        size: fc.constant(size),
        quorum: fc.integer({ min: Math.floor(size / 2) + 1, max: size }),
      }),
    ),
    { freq: 2 },
  ),
  auditAll: fc.integer({ min: 0, max: 2 }).map((n) => n === 0),
});
