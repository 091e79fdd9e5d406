import type { Action } from '../actions.ts';
import { dequePeek } from '../deque.ts';
import type { ProtocolEvent } from '../events.ts';
import { isRoutable } from '../handlers/routing.ts';
import type { ReceiptVerifier } from '../receipts/receipt.ts';
import { type Address, Lane, type State } from '../types.ts';
import { mulRatioCeil } from '../units.ts';
import { bookkeeping, checkEventsAccount } from './bookkeeping.ts';
import { checkDeploymentStep } from './deployments.ts';
import { checkReceiptStep } from './receiptStep.ts';
import { checkRefundStep, createReservationLedger } from './refundSteps.ts';
import { checkStateInvariants, type InvariantViolation } from './stateInvariants.ts';

export interface StepCheckParameters {
  /** The state before the step, when the caller kept a copy (property tests do). */
  prev?: State;
  events: readonly ProtocolEvent[];
  state: State;
  /** The accepted action (receipts are checked against it). */
  action?: Action;
  /** The step's verifier: every accepted receipt must verify under it. */
  verifier?: ReceiptVerifier;
}

/** Inv. 5 (step part): each receipt settles once, for units × price, with the take rounded up. */
export function checkSettlementStep(
  p: StepCheckParameters,
  settled: Set<number> | null,
  out: InvariantViolation[],
): void {
  // Made at the first settled receipt: most steps settle none, and this runs at every step.
  let inStep: Set<number> | null = null;
  for (const e of p.events) {
    if (e.type !== 'ReceiptSettled') continue;
    inStep ??= new Set<number>();
    if (inStep.has(e.jobId) || settled?.has(e.jobId))
      out.push({
        invariant: 'settlement',
        message: `receipt of job ${e.jobId} settled twice (epoch ${e.epoch})`,
      });
    inStep.add(e.jobId);
    settled?.add(e.jobId);
    const takeWant = p.state.ratio1 ? 0n : mulRatioCeil(e.grossMicroUsdc, p.state.params.takeRate);
    if (e.takeMicroUsdc !== takeWant)
      out.push({
        invariant: 'settlement',
        message: `job ${e.jobId}: take ${e.takeMicroUsdc} ≠ ceil(gross · τ)`,
      });
    const job = p.prev?.jobs.get(e.jobId);
    if (p.prev && job?.status !== 'completed')
      out.push({
        invariant: 'settlement',
        message: `job ${e.jobId} settled without a completed receipt`,
      });
    if (job && e.grossMicroUsdc !== job.units * job.priceMicroUsdcPerCu)
      out.push({
        invariant: 'settlement',
        message: `job ${e.jobId}: paid ${e.grossMicroUsdc} ≠ ${job.units} CU × ${job.priceMicroUsdcPerCu}`,
      });
  }
}

/**
 * Inv. 6: an Included job handed to worker w (or leased to a pulling worker) means no Dedicated
 * job within its reserved rate was left waiting for the same model that w could have taken.
 */
export function checkDedicatedPriority(p: StepCheckParameters, out: InvariantViolation[]): void {
  const s = p.state;
  for (const e of p.events) {
    if ((e.type !== 'JobDispatched' && e.type !== 'JobLeased') || e.lane !== Lane.included)
      continue;
    // A pushed job: the worker could have taken the Dedicated one. A leased job: whoever pulls
    // it could have (its worker is not known yet), so the Dedicated job should have gone first.
    if (e.type === 'JobDispatched' && !isRoutable(s, s.workers.get(e.worker)!)) continue;
    const to = e.type === 'JobDispatched' ? e.worker : 'a pulling worker';
    for (const id of s.dedicatedWaiting) {
      const r = s.reservations.get(id);
      const headId = r ? dequePeek(r.queue) : undefined;
      const head = headId === undefined ? undefined : s.jobs.get(headId);
      if (!r || !head || head.status !== 'queued' || head.model !== e.model) continue;
      const cap = r.rateCuPerSec * BigInt(s.params.dedicatedBurstMs);
      const t = Math.min(s.nowMs, r.endAtMs);
      const accrued = t > r.tokensAtMs ? r.rateCuPerSec * BigInt(t - r.tokensAtMs) : 0n;
      const tokens = r.tokensMilliCu + accrued < cap ? r.tokensMilliCu + accrued : cap;
      if (tokens >= head.units * 1000n)
        out.push({
          invariant: 'dedicatedPriority',
          message: `included job ${e.jobId} went to ${to} while dedicated job ${head.id} (reservation ${id}) waited within rate`,
        });
    }
  }
}

/** Inv. 8: a worker is slashed only on a quorum of mismatch votes. */
export function checkSlashingStep(p: StepCheckParameters, out: InvariantViolation[]): void {
  for (const e of p.events) {
    if (e.type === 'Slashed' && e.mismatches < p.state.params.auditQuorum)
      out.push({
        invariant: 'slashing',
        message: `${e.worker} slashed on ${e.mismatches} mismatch votes, quorum is ${p.state.params.auditQuorum}`,
      });
    if (e.type === 'AuditResolved' && e.confirmed !== e.mismatches >= p.state.params.auditQuorum)
      out.push({
        invariant: 'slashing',
        message: `audit of job ${e.jobId}: ${e.mismatches} mismatches but confirmed = ${e.confirmed}`,
      });
  }
}

/**
 * Ratio1's owner bans (protocol/README.md, rule 6): while a licence is banned, no step mines for
 * it, pays it from the Proof-of-AI escrow or dispatches it a job. A ban step changes the ban set, so
 * the set after the step is the one that applied to what the step did.
 */
export function checkBanStep(p: StepCheckParameters, out: InvariantViolation[]): void {
  const banned = p.state.ratio1?.banned;
  if (!banned || banned.size === 0) return;
  const flag = (worker: Address, what: string) => {
    if (banned.has(worker))
      out.push({ invariant: 'licenceBans', message: `banned licence ${worker} ${what}` });
  };
  for (const e of p.events) {
    if (e.type === 'LicenceMined') flag(e.worker, `mined ${e.amountMicroUsdc} on day ${e.day}`);
    else if (e.type === 'PoaiAllocated')
      for (const w of e.nodes) flag(w, `was paid by the escrow on day ${e.day}`);
    else if (e.type === 'JobDispatched') flag(e.worker, `was dispatched job ${e.jobId}`);
  }
  // A leased job's taker is checked by receiptsValid (it must be routable, and a ban is not).
}

/**
 * Inv. 3's input: the day's snapshot is exactly the stake that is bonded and not unbonding (the
 * stake held before the day started; unbonding and matured-but-unclaimed stake grant nothing).
 */
export function checkSnapshotStep(p: StepCheckParameters, out: InvariantViolation[]): void {
  for (const e of p.events) {
    if (e.type !== 'DayStarted') continue;
    for (const [k, h] of p.state.holders) {
      const bonded = p.prev?.holders.get(k)?.stakedOneWei ?? h.stakedOneWei;
      if (h.snapshotOneWei === bonded && h.creditDay === e.day) continue;
      const unbonding = h.unbonding.reduce((sum, u) => sum + u.amountOneWei, 0n);
      out.push({
        invariant: 'snapshotBonded',
        message: `day ${e.day}: ${k} snapshot ${h.snapshotOneWei} ≠ bonded stake ${bonded} (unbonding ${unbonding}, credit day ${h.creditDay})`,
      });
    }
  }
}

/** How many things each step invariant checked in one accepted step (0: it did not apply). */
export function stepChecksApplied(
  action: Action | undefined,
  events: readonly ProtocolEvent[],
): Partial<Record<InvariantViolation['invariant'], number>> {
  const count = (pred: (e: ProtocolEvent) => boolean) => events.filter(pred).length;
  return {
    receiptsValid: action?.type === 'completeJob' ? 1 : 0,
    jobsRefunded: count((e) => e.type === 'JobFailed' || e.type === 'JobExpired'),
    snapshotBonded: count((e) => e.type === 'DayStarted'),
    reservationRefund: count((e) => e.type === 'ReservationEnded'),
    deployments: count((e) => e.type === 'JobDispatched' || e.type === 'JobLeased'),
    licenceBans: count(
      (e) => e.type === 'LicenceMined' || e.type === 'PoaiAllocated' || e.type === 'JobDispatched',
    ),
  };
}

export interface InvariantChecker {
  /** All state invariants plus the step invariants of one accepted step. */
  check(p: StepCheckParameters): InvariantViolation[];
  /** The step invariants only (what the step did, not the whole state): cheap enough for every step. */
  checkStep(p: StepCheckParameters): InvariantViolation[];
  readonly checks: number;
}

/**
 * Keeps what spans steps (settled receipt ids, each reservation's ledger) so "settles at most
 * once" and a reservation's end are checked over a run. Give it the previous state, the action
 * and the verifier of each step, or the checks that need them are skipped.
 */
export function createInvariantChecker(opts: { trackSettled?: boolean } = {}): InvariantChecker {
  const settled = opts.trackSettled === false ? null : new Set<number>();
  const reservationEnds = createReservationLedger();
  let checks = 0;
  const stepChecks = (p: StepCheckParameters, out: InvariantViolation[]) => {
    checkSettlementStep(p, settled, out);
    checkDedicatedPriority(p, out);
    checkSlashingStep(p, out);
    checkReceiptStep(p, out);
    checkRefundStep(p, out);
    checkSnapshotStep(p, out);
    reservationEnds(p, out);
    checkDeploymentStep(p, out);
    checkBanStep(p, out);
    // Cross-cutting: last, so the check written for a rule reports first when both object.
    checkEventsAccount(p, out);
    return out;
  };
  return {
    get checks() {
      return checks;
    },
    check(p) {
      checks += 1;
      const out = stepChecks(p, checkStateInvariants(p.state));
      // Walks every job and worker: with the state invariants, not with the cheap step checks;
      // cross-cutting, so after the checks written for each rule.
      bookkeeping(p.state, out);
      return out;
    },
    checkStep(p) {
      checks += 1;
      return stepChecks(p, []);
    },
  };
}
