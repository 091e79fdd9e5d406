import type { Action } from '../../protocol/actions.ts';
import type { ProtocolEvent } from '../../protocol/events.ts';
import { invariantNames } from '../../protocol/invariants/stateInvariants.ts';
import { stepChecksApplied } from '../../protocol/invariants/stepInvariants.ts';
import { type RejectionCode, rejectionCodes } from '../../protocol/rejections.ts';
import type { StepResult } from '../../protocol/step.ts';
import { Lane, type State } from '../../protocol/types.ts';

/** Outcomes that are not invariants but whose absence means a corner went untested. */
export const rareStates = {
  'audit opened': (e) => e.type === 'AuditOpened',
  'slashed worker': (e) => e.type === 'Slashed',
  'audit confirmed a mismatch': (e) => e.type === 'AuditResolved' && e.confirmed,
  'faulty PoA day': (e) => e.type === 'AvailabilityClosed' && e.faulty,
  'reservation ended with refund': (e) => e.type === 'ReservationEnded' && e.refundedMicroUsdc > 0n,
  'claim made': (e) => e.type === 'Claimed',
  'epoch settled with receipts': (e) => e.type === 'EpochSettled' && e.receipts > 0,
  'dedicated receipt settled': (e) => e.type === 'ReceiptSettled' && e.lane === Lane.dedicated,
  'job failed with refund': (e) => e.type === 'JobFailed' && e.refunded > 0n,
  'job expired with refund': (e) => e.type === 'JobExpired' && e.refunded > 0n,
  'lease ran out': (e) => e.type === 'JobLeaseEnded',
  'day budget returned': (e) => e.type === 'DayBudgetReleased' && e.returnedMicroUsdc > 0n,
  'proposal executed': (e) => e.type === 'ProposalExecuted',
  'jail released': (e) => e.type === 'JailReleased',
  'bond withdrawn': (e) => e.type === 'BondWithdrawn',
  'unbonded stake claimed': (e) => e.type === 'UnbondedClaimed',
} satisfies Record<string, (e: ProtocolEvent) => boolean>;
export type RareState = keyof typeof rareStates;

/**
 * Rows beyond §9's invariants that a run can also fail on: a rejection must leave the state as
 * it was and say why (a known code, a message), an action the rules say is valid must not be
 * rejected and one they refuse must not be accepted (protocol/audit/honest.ts), an accepted one
 * must emit what the rules say it did (protocol/audit/actionEffects.ts), and no step may throw.
 */
export const extraChecks = [
  'rejectionChangesNothing',
  'rejectionExplained',
  'honestAccepted',
  'invalidRefused',
  'actionEffects',
  'noCrash',
] as const;
export const checkNames = [...invariantNames, ...extraChecks] as const;
export type CheckName = (typeof checkNames)[number];

/** Where a job-related rejection happened: the job's lane, and whether it was pushed or leased. */
export const laneColumns = [
  'included',
  'dedicated',
  'included leased',
  'dedicated leased',
] as const;
export type LaneColumn = (typeof laneColumns)[number];

const pushed: LaneColumn[] = ['included', 'dedicated'];
const leased: LaneColumn[] = ['included leased', 'dedicated leased'];
/**
 * Each job-related rejection code and the lanes where it applies: the cells a default
 * `onesim audit --runs 200` must reach (sim/audit/runAudit.test.ts pins it). Completing a
 * pushed job checks the assigned worker (WrongWorker), its status and deadline (JobNotRunning);
 * a leased one checks the taker (UnknownWorker, WrongWorker: another model, WorkerNotActive)
 * and the lease (LeaseExpired); both check the receipt (ReceiptMismatch, BadChainLink,
 * BadSignature). UnknownJob: a receipt or failure for a job that is gone, by the receipt's lane.
 */
export const laneCodes: Partial<Record<RejectionCode, readonly LaneColumn[]>> = {
  BadSignature: [...pushed, ...leased],
  BadChainLink: [...pushed, ...leased],
  ReceiptMismatch: [...pushed, ...leased],
  WrongWorker: [...pushed, ...leased],
  JobNotRunning: pushed,
  UnknownJob: pushed,
  LeaseExpired: leased,
  UnknownWorker: leased,
  WorkerNotActive: leased,
  InsufficientCredits: ['included'],
  QueueFull: pushed,
  UnknownReservation: ['dedicated'],
  NotReservationOwner: ['dedicated'],
  ReservationNotActive: ['dedicated'],
  ModelNotCovered: ['dedicated'],
  ReservationExhausted: ['dedicated'],
};

const column = (lane: unknown, isLeased: boolean): LaneColumn | null =>
  lane === Lane.included
    ? isLeased
      ? 'included leased'
      : 'included'
    : lane === Lane.dedicated
      ? isLeased
        ? 'dedicated leased'
        : 'dedicated'
      : null;

/** The lane a rejected action concerns (read from the unchanged state), or null. */
export function laneOf(state: State, action: Action): LaneColumn | null {
  switch (action.type) {
    case 'submitJob':
      return column(action.lane, false);
    case 'completeJob': {
      const job = state.jobs.get(action.receipt?.jobId);
      return column(job?.lane ?? action.receipt?.lane, job?.status === 'leased');
    }
    case 'failJob': {
      const job = state.jobs.get(action.jobId);
      return job ? column(job.lane, job.status === 'leased') : null;
    }
    default:
      return null;
  }
}

/** What an audit reached: every row starts at zero so an untested corner shows as a zero. */
export interface Coverage {
  runs: number;
  checks: Record<CheckName, number>;
  violations: Record<CheckName, number>;
  rejections: Record<string, number>;
  /** Per job-related rejection code, per lane column (every cell of `laneCodes` listed). */
  lanes: Record<string, Record<LaneColumn, number>>;
  rareStates: Record<RareState, number>;
}

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export const emptyCoverage = (): Coverage => ({
  runs: 0,
  checks: zeros(checkNames),
  violations: zeros(checkNames),
  rejections: zeros(rejectionCodes),
  lanes: Object.fromEntries(Object.keys(laneCodes).map((code) => [code, zeros(laneColumns)])),
  rareStates: zeros(Object.keys(rareStates) as RareState[]),
});

export function countEvents(c: Coverage, events: readonly ProtocolEvent[]): void {
  for (const e of events)
    for (const [name, matches] of Object.entries(rareStates))
      if (matches(e)) c.rareStates[name as RareState] += 1;
}

/** State invariants run after every accepted step; step invariants count the steps they apply to. */
const everyStep = invariantNames.filter(
  (n) => n !== 'replay' && stepChecksApplied(undefined, [])[n] === undefined,
);

/**
 * Counts one step: an accepted one against each invariant that looked at it, a rejection by
 * code and, when it concerns a job, by lane (`state` is the state after the step, which a
 * rejection leaves unchanged).
 */
export function countStep(c: Coverage, state: State, action: Action, r: StepResult): void {
  if (!r.ok) {
    c.rejections[r.code] = (c.rejections[r.code] ?? 0) + 1;
    c.checks.rejectionChangesNothing += 1;
    c.checks.rejectionExplained += 1;
    const lane = laneOf(state, action);
    if (lane) {
      c.lanes[r.code] ??= zeros(laneColumns);
      c.lanes[r.code]![lane] += 1;
    }
    return;
  }
  for (const name of everyStep) c.checks[name] += 1;
  for (const [name, n] of Object.entries(stepChecksApplied(action, r.events)))
    c.checks[name as CheckName] += n;
  c.checks.noCrash += 1;
}

export function mergeCoverage(into: Coverage, from: Coverage): void {
  into.runs += from.runs;
  for (const group of ['checks', 'violations', 'rejections', 'rareStates'] as const) {
    const target = into[group] as Record<string, number>;
    for (const [k, v] of Object.entries(from[group])) target[k] = (target[k] ?? 0) + v;
  }
  for (const [code, cells] of Object.entries(from.lanes)) {
    into.lanes[code] ??= zeros(laneColumns);
    for (const lane of laneColumns) into.lanes[code]![lane] += cells[lane];
  }
}

/** The (code, lane) cells of `laneCodes` no run reached. */
export function lanesUnreached(c: Coverage): string[] {
  return Object.entries(laneCodes).flatMap(([code, lanes]) =>
    lanes.filter((lane) => (c.lanes[code]?.[lane] ?? 0) === 0).map((lane) => `${code} (${lane})`),
  );
}

/** Rows no run reached (zero checks, zero rejections of a code, a rare state never seen). */
export function untested(c: Coverage): string[] {
  const zero = (group: Record<string, number>, label: string) =>
    Object.entries(group)
      .filter(([, n]) => n === 0)
      .map(([k]) => `${label} ${k}`);
  return [
    ...zero(c.checks, 'check'),
    ...zero(c.rejections, 'rejection'),
    ...lanesUnreached(c).map((cell) => `rejection ${cell}`),
    ...zero(c.rareStates, 'state'),
  ];
}
