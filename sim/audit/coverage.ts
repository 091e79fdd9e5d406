import type { ProtocolEvent } from '../../protocol/events.ts';
import { invariantNames } from '../../protocol/invariants/stateInvariants.ts';
import { rejectionCodes } from '../../protocol/rejections.ts';

/** Outcomes that are not invariants but whose absence means a corner went untested. */
export const rareStates = {
  'audit opened': (e) => e.type === 'AuditOpened',
  'slashed worker': (e) => e.type === 'Slashed',
  'audit confirmed a mismatch': (e) => e.type === 'AuditResolved' && e.confirmed,
  'faulty PoA day': (e) => e.type === 'AvailabilityClosed' && e.faulty,
  'reservation ended with refund': (e) => e.type === 'ReservationEnded' && e.refundedMicroUsdc > 0n,
  'claim made': (e) => e.type === 'Claimed',
  'epoch settled with receipts': (e) => e.type === 'EpochSettled' && e.receipts > 0,
  'job failed with refund': (e) => e.type === 'JobFailed' && e.refunded > 0n,
  'job expired with refund': (e) => e.type === 'JobExpired' && e.refunded > 0n,
  'day budget returned': (e) => e.type === 'DayBudgetReleased' && e.returnedMicroUsdc > 0n,
  'proposal executed': (e) => e.type === 'ProposalExecuted',
  'jail released': (e) => e.type === 'JailReleased',
  'bond withdrawn': (e) => e.type === 'BondWithdrawn',
  'unbonded stake claimed': (e) => e.type === 'UnbondedClaimed',
} satisfies Record<string, (e: ProtocolEvent) => boolean>;
export type RareState = keyof typeof rareStates;

/** Rows beyond §9's invariants that a run can also fail on. */
export const extraChecks = ['rejectionChangesNothing', 'noCrash'] as const;
export const checkNames = [...invariantNames, ...extraChecks] as const;
export type CheckName = (typeof checkNames)[number];

/** What an audit reached: every row starts at zero so an untested corner shows as a zero. */
export interface Coverage {
  runs: number;
  checks: Record<CheckName, number>;
  violations: Record<CheckName, number>;
  rejections: Record<string, number>;
  rareStates: Record<RareState, number>;
}

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export const emptyCoverage = (): Coverage => ({
  runs: 0,
  checks: zeros(checkNames),
  violations: zeros(checkNames),
  rejections: zeros(rejectionCodes),
  rareStates: zeros(Object.keys(rareStates) as RareState[]),
});

export function countEvents(c: Coverage, events: readonly ProtocolEvent[]): void {
  for (const e of events)
    for (const [name, matches] of Object.entries(rareStates))
      if (matches(e)) c.rareStates[name as RareState] += 1;
}

/** Every accepted step is checked against each invariant and rejections against the state hash. */
export function countStep(c: Coverage, accepted: boolean, code?: string): void {
  if (!accepted) {
    c.rejections[code!] = (c.rejections[code!] ?? 0) + 1;
    c.checks.rejectionChangesNothing += 1;
    return;
  }
  for (const name of invariantNames) if (name !== 'replay') c.checks[name] += 1;
  c.checks.noCrash += 1;
}

export function mergeCoverage(into: Coverage, from: Coverage): void {
  into.runs += from.runs;
  for (const group of ['checks', 'violations', 'rejections', 'rareStates'] as const) {
    const target = into[group] as Record<string, number>;
    for (const [k, v] of Object.entries(from[group])) target[k] = (target[k] ?? 0) + v;
  }
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
    ...zero(c.rareStates, 'state'),
  ];
}
