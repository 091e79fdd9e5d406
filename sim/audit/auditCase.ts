import fc from 'fast-check';
import {
  type Intent,
  paramsArb,
  RandomRunFailure,
  ratio1OnlyArb,
  runIntents,
  type StepFn,
} from '../../protocol/audit/randomRun.ts';
import {
  type Params,
  type ParamsInput,
  resolveParams,
  type SealedAuditPolicy,
} from '../../protocol/params.ts';
import { simVerifier } from '../../protocol/receipts/simVerifier.ts';
import type { LoggedAction } from '../../protocol/replay.ts';
import { createState } from '../../protocol/state.ts';
import { stateHash } from '../../protocol/stateHash.ts';
import { step } from '../../protocol/step.ts';
import type { Hex, State } from '../../protocol/types.ts';
import {
  type CheckName,
  type Coverage,
  countEvents,
  countStep,
  emptyCoverage,
} from './coverage.ts';
import {
  type Adversaries,
  adversariesArb,
  applySwarm,
  rawIntentsArb,
  type SwarmConfig,
  swarmArb,
} from './swarm.ts';

/** One audit run: parameters, adversaries, the swarm's kind mix and the intents drawn from it. */
export interface AuditCase {
  params: ParamsInput;
  adversaries: Adversaries;
  swarm: SwarmConfig;
  intents: Intent[];
}

/**
 * No chain: intents, adversaries, parameters and swarm shrink independently. Unbiased: every
 * audit case is the first value drawn from its seed, which fast-check would bias towards small
 * values (a third of the runs had under ten intents); shrinking still finds short cases.
 */
export const auditCaseArb = (maxLength = 160): fc.Arbitrary<AuditCase> =>
  fc.noBias(
    fc
      .tuple(
        rawIntentsArb(maxLength),
        adversariesArb,
        paramsArb,
        swarmArb,
        // Drawn last, so the ONE runs are the same cases they were before Ratio1 runs came in.
        fc.tuple(fc.nat(ratio1Every - 1), ratio1OnlyArb),
        // Drawn after everything else for the same reason: how oracles may re-execute sealed
        // jobs (the default opt-in in half the runs, unaudited or TEE-attested in a quarter each).
        fc.constantFrom<SealedAuditPolicy>('opt-in', 'opt-in', 'unaudited', 'tee'),
      )
      .map(([raw, adversaries, drawn, swarm, [roll, ratio1], sealedAudit]) => {
        const params = { ...drawn, sealedAudit };
        if (roll !== 0) return { params, adversaries, swarm, intents: applySwarm(swarm, raw) };
        // A run under Ratio1's reward rules (PROTOCOL.md §10): its own parameters, availability
        // posted and closed as often as ratio1IntentsArb does (its money moves only at a day's
        // close), and now and then the owner bans or unbans a licence.
        const w = swarm.weights;
        const ratio1Swarm = {
          ...swarm,
          weights: {
            ...w,
            postAvailability: Math.max(w.postAvailability ?? 0, 16),
            closeAvailability: Math.max(w.closeAvailability ?? 0, 8),
          },
        };
        const intents = applySwarm(ratio1Swarm, raw);
        return {
          params: { ...params, rewardRules: 'ratio1' as const, ratio1 },
          adversaries,
          swarm: ratio1Swarm,
          intents: intents.map((it, i) =>
            raw[i]!.roll % 40 === 7 ? { ...it, kind: 'ban' as const } : it,
          ),
        };
      }),
  );

/** One audit run in this many runs under Ratio1's reward rules, the others under ONE's. */
export const ratio1Every = 5;

export function caseParams(c: Pick<AuditCase, 'params' | 'adversaries'>): Params {
  const { committee, auditAll } = c.adversaries;
  return resolveParams({
    ...c.params,
    ...(committee ? { auditCommitteeSize: committee.size, auditQuorum: committee.quorum } : {}),
    ...(auditAll ? { auditSampleRate: { num: 1n, den: 1n } } : {}),
  });
}

/** What broke: the check, its message, and the intent at which it broke (−1: genesis). */
export interface Finding {
  check: CheckName;
  message: string;
  intentIndex: number;
}

export interface AuditCaseResult {
  finding: Finding | null;
  coverage: Coverage;
  /** Accepted actions up to the failure (genesis and keeper included), when `record` is set. */
  log: LoggedAction[];
  /** The hash of the state the run reached (at the failure, if any). */
  stateHash: Hex;
}

/** Runs one case through runIntents (all invariants after every step) and replays it. */
export function runAuditCase(
  c: AuditCase,
  o: { stepFn?: StepFn; record?: boolean } = {},
): AuditCaseResult {
  const inner = o.stepFn ?? step;
  const coverage = emptyCoverage();
  coverage.runs = 1;
  const log: LoggedAction[] = [];
  let last: State | null = null;
  const counted: StepFn = (state, action, nowMs, env) => {
    const r = inner(state, action, nowMs, env);
    last = state;
    countStep(coverage, state, action, r);
    if (r.ok) countEvents(coverage, r.events);
    if (r.ok && o.record) log.push({ atMs: nowMs, action: structuredClone(action) });
    return r;
  };
  const params = caseParams(c);
  let finding: Finding | null = null;
  try {
    const run = runIntents({
      params,
      intents: c.intents,
      stepFn: counted,
      options: c.adversaries,
      onHonest: () => {
        coverage.checks.honestAccepted += 1;
      },
      onInvalid: () => {
        coverage.checks.invalidRefused += 1;
      },
      onEffects: () => {
        coverage.checks.actionEffects += 1;
      },
    });
    coverage.checks.replay += 1;
    if (replayWith(inner, params, run.log) !== stateHash(run.state))
      finding = {
        check: 'replay',
        message: 'replaying the accepted actions reached a different state hash',
        intentIndex: c.intents.length - 1,
      };
  } catch (e) {
    finding = toFinding(e);
  }
  if (finding) coverage.violations[finding.check] += 1;
  return {
    finding,
    coverage,
    log,
    stateHash: last ? stateHash(last) : stateHash(createState(params)),
  };
}

function toFinding(e: unknown): Finding {
  if (e instanceof RandomRunFailure)
    return {
      check: e.check ?? e.violations[0]?.invariant ?? 'rejectionChangesNothing',
      message: e.message,
      intentIndex: e.index,
    };
  return {
    check: 'noCrash',
    message: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    intentIndex: -1,
  };
}

/** Invariant 10 with the step under test (a planted bug must not show up as a replay failure). */
function replayWith(stepFn: StepFn, params: Params, log: readonly LoggedAction[]): Hex | null {
  const state = createState(params);
  const env = { verifier: simVerifier };
  for (const { atMs, action } of log) if (!stepFn(state, action, atMs, env).ok) return null;
  return stateHash(state);
}
