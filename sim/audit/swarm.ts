import fc from 'fast-check';
import {
  type Intent,
  type IntentKind,
  intentArbFor,
  intentKinds,
  kindWeights,
  type RunOptions,
} from '../../protocol/testing/randomRun.ts';

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
}

/** The default settlement epoch (6 h): short-gap runs cross at most one boundary per jump. */
const epochMs = 21_600_000;

const skewArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.constantFrom(1, 2, 4, 8), weight: 3 },
);

/**
 * The kinds a job needs from submission to a verdict. Switching kinds off at random leaves all
 * of them on in only ~30 % of runs, and Proof-of-AI's deep end (a lazy receipt audited, a
 * confirmed mismatch, slashing, jail and its release) needs every one: half the runs keep them.
 */
export const pipelineKinds: readonly IntentKind[] = [
  'submitIncluded',
  'dispatch',
  'complete',
  'completeLazy',
  'verdict',
  'topUpBond',
  'releaseJail',
];

export const swarmArb: fc.Arbitrary<SwarmConfig> = fc
  .tuple(fc.tuple(...intentKinds.map(() => skewArb)), fc.boolean(), fc.boolean())
  .map(([skews, shortGaps, keepPipeline]) => {
    const weights: SwarmConfig['weights'] = {};
    intentKinds.forEach((k, i) => {
      const skew = keepPipeline && pipelineKinds.includes(k) ? Math.max(1, skews[i]!) : skews[i]!;
      weights[k] = (kindWeights[k] ?? 1) * skew;
    });
    // A run with every kind disabled would test nothing: fall back to the default mix.
    if (intentKinds.every((k) => weights[k] === 0))
      for (const k of intentKinds) weights[k] = kindWeights[k] ?? 1;
    return { weights, shortGaps };
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
  return raw.map(({ roll, dtMs, ...rest }) => {
    let x = roll % total;
    const kind = kinds.find((k) => {
      x -= weight(k);
      return x < 0;
    })!;
    return { kind, ...rest, dtMs: swarm.shortGaps ? dtMs % epochMs : dtMs };
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
