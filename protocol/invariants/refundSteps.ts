import type { ProtocolEvent } from '../events.ts';
import { type Address, Lane, type State } from '../types.ts';
import type { InvariantViolation } from './stateInvariants.ts';
import type { StepCheckParameters } from './stepInvariants.ts';

type Ended = Extract<ProtocolEvent, { type: 'JobFailed' | 'JobExpired' }>;
const endedJobs = (events: readonly ProtocolEvent[]) =>
  events.filter((e): e is Ended => e.type === 'JobFailed' || e.type === 'JobExpired');

/**
 * Inv. 9, the refund half: a job that failed or expired gives back what it held. An Included
 * job's credits return to its holder's free credits (same credit day: a past day's credits would
 * roll over), nothing counts as used; a Dedicated job's CU are marked as undelivered in its
 * reservation (refunded from escrow at its end), whose escrow stays. Needs the previous state.
 */
export function checkRefundStep(p: StepCheckParameters, out: InvariantViolation[]): void {
  const prev = p.prev;
  if (!prev) return;
  const ended = endedJobs(p.events);
  if (ended.length === 0) return;
  const bad = (message: string) => out.push({ invariant: 'jobsRefunded', message });
  const credits = new Map<Address, bigint>();
  const escrow = new Map<number, { cu: bigint; jobs: number }>();
  for (const e of ended) {
    const job = prev.jobs.get(e.jobId);
    const how = e.type === 'JobFailed' ? 'failed' : 'expired';
    if (!job || job.status === 'completed') {
      bad(`job ${e.jobId} ${how} but was ${job ? 'completed' : 'not open'} before the step`);
      continue;
    }
    if (p.state.jobs.has(e.jobId)) bad(`job ${e.jobId} ${how} but is still open`);
    if (e.refunded !== job.units)
      bad(`job ${e.jobId} ${how}: refunded ${e.refunded} of ${job.units} CU`);
    if (job.lane === Lane.included) {
      const sameDay = prev.holders.get(job.requester)?.creditDay === job.creditDay;
      credits.set(job.requester, (credits.get(job.requester) ?? 0n) + (sameDay ? job.units : 0n));
    } else {
      const r = escrow.get(job.reservationId!) ?? { cu: 0n, jobs: 0 };
      escrow.set(job.reservationId!, { cu: r.cu + job.units, jobs: r.jobs + 1 });
    }
  }
  for (const [holder, cu] of credits) checkCreditsBack(prev, p.state, holder, cu, bad);
  for (const [id, { cu, jobs }] of escrow) {
    const before = prev.reservations.get(id);
    const after = p.state.reservations.get(id);
    if (!before || !after) {
      bad(`reservation ${id} of an ended Dedicated job is gone`);
      continue;
    }
    if (after.failedCu !== before.failedCu + cu || after.openJobs !== before.openJobs - jobs)
      bad(
        `reservation ${id}: ${jobs} jobs (${cu} CU) ended, undelivered CU ${before.failedCu} → ${after.failedCu}, open jobs ${before.openJobs} → ${after.openJobs}`,
      );
    if (after.escrowMicroUsdc !== before.escrowMicroUsdc)
      bad(
        `reservation ${id}: escrow moved ${before.escrowMicroUsdc} → ${after.escrowMicroUsdc} when its jobs ended (refunds wait for its end)`,
      );
  }
}

function checkCreditsBack(
  prev: State,
  state: State,
  holder: Address,
  cu: bigint,
  bad: (message: string) => void,
): void {
  const before = prev.holders.get(holder);
  const after = state.holders.get(holder);
  if (!before || !after || before.creditDay !== after.creditDay) return;
  if (after.reservedCu !== before.reservedCu - cu || after.usedCu !== before.usedCu)
    bad(
      `${holder}: ${cu} CU of ended jobs not given back (reserved ${before.reservedCu} → ${after.reservedCu}, used ${before.usedCu} → ${after.usedCu})`,
    );
}

/** What the reservation ledger knows of one reservation, from events alone. */
interface ReservationBook {
  sponsor: Address;
  priceMicroUsdcPerCu: bigint;
  reservedCu: bigint;
  submittedCu: bigint;
  /** Failed, expired or withheld (a voided receipt) before the reservation ended. */
  undeliveredCu: bigint;
  ended: boolean;
}

/**
 * PROTOCOL.md §4 at a reservation's end, exactly and in both directions: the sponsor gets back
 * the escrow of CU the network failed to deliver while it had jobs waiting (failed, expired or
 * withheld), the treasury gets the escrow of capacity it never used (reserved − submitted), and
 * the money goes where the event says. Kept across steps from events, not from the
 * reservation's own counters, so a handler that miscounts is caught. Needs previous states.
 */
export function createReservationLedger() {
  const books = new Map<number, ReservationBook>();
  return (p: StepCheckParameters, out: InvariantViolation[]): void => {
    // Without the previous state, failed jobs cannot be attributed: stop vouching for anything.
    if (!p.prev) {
      // Only when it holds something: clear() gives a Map a new table every time, and without a
      // previous state (the simulator's steps) this runs at every step.
      if (books.size > 0) books.clear();
      return;
    }
    const bad = (message: string) => out.push({ invariant: 'reservationRefund', message });
    for (const e of p.events) {
      if (e.type === 'Reserved')
        books.set(e.reservationId, {
          sponsor: e.sponsor,
          priceMicroUsdcPerCu: e.reservedCu > 0n ? e.costMicroUsdc / e.reservedCu : 0n,
          reservedCu: e.reservedCu,
          submittedCu: 0n,
          undeliveredCu: 0n,
          ended: false,
        });
      else if (e.type === 'JobSubmitted' && e.lane === Lane.dedicated) {
        const book = books.get(p.state.jobs.get(e.jobId)?.reservationId ?? -1);
        if (book) book.submittedCu += e.units;
      } else if ((e.type === 'JobFailed' || e.type === 'JobExpired') && e.lane === Lane.dedicated)
        undelivered(books, p.prev.jobs.get(e.jobId)?.reservationId, e.refunded);
      else if (e.type === 'EpochSettled') withheld(books, p, e.epoch);
      else if (e.type === 'ReservationEnded') checkEnd(books, p, e, bad);
    }
  };
}

function undelivered(
  books: Map<number, ReservationBook>,
  id: number | null | undefined,
  cu: bigint,
) {
  const book = books.get(id ?? -1);
  if (book && !book.ended) book.undeliveredCu += cu;
}

/** Dedicated receipts of the settled epoch that were not paid were withheld (voided). */
function withheld(books: Map<number, ReservationBook>, p: StepCheckParameters, epoch: number) {
  const paid = new Set<number>();
  for (const e of p.events) if (e.type === 'ReceiptSettled') paid.add(e.jobId);
  for (const id of p.prev!.pendingByEpoch.get(epoch - 1) ?? []) {
    const job = p.prev!.jobs.get(id);
    if (job?.lane === Lane.dedicated && !paid.has(id))
      undelivered(books, job.reservationId, job.units);
  }
}

function checkEnd(
  books: Map<number, ReservationBook>,
  p: StepCheckParameters,
  e: Extract<ProtocolEvent, { type: 'ReservationEnded' }>,
  bad: (message: string) => void,
): void {
  const book = books.get(e.reservationId);
  if (!book) return;
  if (book.ended) {
    bad(`reservation ${e.reservationId} ended twice`);
    return;
  }
  book.ended = true;
  const refund = book.undeliveredCu * book.priceMicroUsdcPerCu;
  const forfeit = (book.reservedCu - book.submittedCu) * book.priceMicroUsdcPerCu;
  if (e.refundedMicroUsdc !== refund || e.forfeitedMicroUsdc !== forfeit)
    bad(
      `reservation ${e.reservationId}: refunded ${e.refundedMicroUsdc} and forfeited ${e.forfeitedMicroUsdc}; owed ${refund} (${book.undeliveredCu} CU undelivered) and ${forfeit} (${book.reservedCu - book.submittedCu} CU unused)`,
    );
  // Where the money went: the step of an endReservation moves nothing else.
  if (p.events.some((x) => x.type !== 'ReservationEnded')) return;
  const prev = p.prev!;
  const sponsorGot =
    (p.state.accounts.get(book.sponsor)?.usdc ?? 0n) -
    (prev.accounts.get(book.sponsor)?.usdc ?? 0n);
  const treasuryGot = p.state.treasuryMicroUsdc - prev.treasuryMicroUsdc;
  if (sponsorGot !== e.refundedMicroUsdc || treasuryGot !== e.forfeitedMicroUsdc)
    bad(
      `reservation ${e.reservationId}: the sponsor got ${sponsorGot} (refund ${e.refundedMicroUsdc}), the treasury ${treasuryGot} (forfeit ${e.forfeitedMicroUsdc})`,
    );
}
