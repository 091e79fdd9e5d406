import { describe, expect, it } from 'vitest';
import type { Action } from '../actions.ts';
import { plantedBugs } from '../audit/plantedBugs.ts';
import type { StepFn } from '../audit/randomRun.ts';
import type { ReceiptVerifier } from '../receipts/receipt.ts';
import { createSimSigner, simVerifier } from '../receipts/simVerifier.ts';
import { cloneState } from '../state.ts';
import { step } from '../step.ts';
import { hash32 } from '../testing/fixtures.ts';
import {
  dedicatedJob,
  fundAndReserve,
  holderAddr,
  includedJob,
  MODEL_A,
  MODEL_B,
  smallNetwork,
  sponsorAddr,
  workerAddr,
} from '../testing/network.ts';
import { Lane, type State } from '../types.ts';
import { createInvariantChecker, type InvariantChecker } from './stepInvariants.ts';

// The step checks added for issue 21: each must flag the bug it exists for (the planted bugs of
// protocol/audit/plantedBugs.ts, or a state corrupted the same way) and stay quiet on the
// protocol itself.
const accept: ReceiptVerifier = { ...simVerifier, verify: () => true };

/** Applies one action with `stepFn` and checks it as runIntents does; returns the messages. */
function checked(
  state: State,
  action: Action,
  nowMs: number,
  o: { stepFn?: StepFn; checker?: InvariantChecker; verifier?: ReceiptVerifier } = {},
): { invariant: string; message: string }[] {
  const prev = cloneState(state);
  const r = (o.stepFn ?? step)(state, action, nowMs, { verifier: o.verifier ?? simVerifier });
  if (!r.ok) throw new Error(`${action.type} rejected: ${r.code}: ${r.message}`);
  return (o.checker ?? createInvariantChecker()).check({
    prev,
    events: r.events,
    state,
    action,
    verifier: simVerifier,
  });
}

/** The named check's messages; no other check objects, except the two cross-cutting ones a
 * planted bug also breaks (derived state off its definition, or the state moved unlike the events). */
const only = (name: string, all: { invariant: string; message: string }[]) => {
  const found = all.filter((v) => v.invariant !== 'bookkeeping' && v.invariant !== 'eventsAccount');
  expect(found.map((v) => v.invariant)).toEqual(found.map(() => name));
  return found.map((v) => v.message);
};

describe('receiptsValid: every accepted receipt verifies and names the job’s worker', () => {
  function running(lane: Lane) {
    const d = smallNetwork({
      workers: [
        { models: [MODEL_A], slots: 1 },
        { models: [MODEL_A, MODEL_B], slots: 1 },
      ],
    });
    const sponsor = fundAndReserve(d);
    d.run(lane === Lane.included ? includedJob(holderAddr(0), 5n) : dedicatedJob(sponsor, 1, 5n));
    return d;
  }

  it('a forged signature accepted in either lane (the planted Dedicated bug, or none checked at all)', () => {
    for (const lane of [Lane.included, Lane.dedicated]) {
      const d = running(lane);
      d.run({ type: 'dispatch' });
      const receipt = d.at(1_000).receiptFor(1);
      const forged = createSimSigner(workerAddr(9)).sign(receipt);
      const action: Action = { type: 'completeJob', receipt, signature: forged };
      const messages = only(
        'receiptsValid',
        checked(cloneState(d.state), action, 1_000, { verifier: accept }),
      );
      expect(messages).toEqual([
        `accepted ${lane === Lane.dedicated ? 'Dedicated' : 'Included'} receipt of job 1: its signature does not verify for ${receipt.worker} (${simVerifier.name})`,
      ]);
      // The planted bug forgets the check for Dedicated receipts only: the real verifier refuses
      // the Included one, the invariant catches the Dedicated one.
      const s = cloneState(d.state);
      const r = plantedBugs.dedicatedSignatureIgnored!(s, action, 1_000, { verifier: simVerifier });
      expect(r.ok ? 'accepted' : r.code).toBe(
        lane === Lane.dedicated ? 'accepted' : 'BadSignature',
      );
      // A correctly signed one is fine.
      const good = { ...action, signature: createSimSigner(receipt.worker).sign(receipt) };
      expect(checked(cloneState(d.state), good, 1_000)).toEqual([]);
    }
  });

  it('a pushed job finished by another worker, a field that is not the job’s, a broken chain', () => {
    const d = running(Lane.included);
    d.run({ type: 'dispatch' });
    const receipt = d.at(1_000).receiptFor(1);
    const sign = (r: typeof receipt): Action => ({
      type: 'completeJob',
      receipt: r,
      signature: createSimSigner(r.worker).sign(r),
    });
    // Accepted by a handler that checks nothing: the state is the one a correct receipt gives,
    // the action is what the handler should have refused.
    const after = cloneState(d.state);
    const done = step(after, sign(receipt), 1_000, { verifier: simVerifier });
    expect(done.ok).toBe(true);
    const check = (action: Action) =>
      createInvariantChecker()
        .check({
          prev: d.state,
          events: done.ok ? done.events : [],
          state: after,
          action,
          verifier: simVerifier,
        })
        .map(
          (v) =>
            `${v.invariant}: ${v.message.replace(/^accepted Included receipt of job 1: /, '')}`,
        );
    expect(check(sign(receipt))).toEqual([]);
    const w1 = workerAddr(1);
    expect(check(sign({ ...receipt, worker: w1 }))).toEqual([
      `receiptsValid: the step completed job 1 by ${receipt.worker}`,
      `receiptsValid: the job is completed on ${receipt.worker}, not completed by ${w1}`,
      expect.stringMatching(/^receiptsValid: the job records receipt 0x[0-9a-f]+, not 0x/),
      `receiptsValid: names ${w1}, the job ran on ${receipt.worker}`,
    ]);
    expect(check(sign({ ...receipt, units: 6n }))).toEqual([
      expect.stringMatching(/job records receipt/),
      'receiptsValid: receipt.units is 6, the job has 5',
    ]);
    const padded = `${receipt.resultHash}00` as const;
    expect(check(sign({ ...receipt, resultHash: padded }))).toEqual([
      expect.stringMatching(/job records receipt/),
      `receiptsValid: receipt.resultHash ${padded} is not bytes32 hex`,
    ]);
    expect(check(sign({ ...receipt, prev: hash32('elsewhere') }))).toEqual([
      expect.stringMatching(/job records receipt/),
      expect.stringMatching(
        /^receiptsValid: receipt.prev 0x[0-9a-f]+ is not .* chain head 0x0{64}$/,
      ),
    ]);
  });

  it('a leased job: the taker must serve the model, may take jobs, and the lease must still run', () => {
    const d = running(Lane.included);
    d.run({ type: 'leaseJob', models: [MODEL_A], leaseUntilMs: 5_000 });
    const lateAction = (taker: `0x${string}`, at: number): Action => {
      const r = { ...d.receiptFor(1, undefined, taker), finishedAt: at };
      return { type: 'completeJob', receipt: r, signature: createSimSigner(taker).sign(r) };
    };
    // In time, by a worker serving the model: fine (the real handler agrees).
    expect(checked(cloneState(d.state), lateAction(workerAddr(0), 5_000), 5_000)).toEqual([]);
    // After the lease, accepted by a handler that forgot to look: caught.
    const noLeaseCheck: StepFn = (s, a, now, env) => {
      const job = s.jobs.get(1)!;
      const until = job.leaseUntilMs;
      job.leaseUntilMs = Number.MAX_SAFE_INTEGER;
      const r = step(s, a, now, env);
      if (!r.ok) job.leaseUntilMs = until;
      return r;
    };
    expect(
      only(
        'receiptsValid',
        checked(cloneState(d.state), lateAction(workerAddr(0), 5_001), 5_001, {
          stepFn: noLeaseCheck,
        }),
      ),
    ).toEqual([
      'accepted Included receipt of job 1: finished at 5001, after the lease ended (5000)',
    ]);
    // By a worker that went offline (it may not take jobs, §5), accepted by a handler that
    // forgot to look: caught. The real handler refuses it.
    const offline = cloneState(d.state);
    offline.workers.get(workerAddr(0))!.online = false;
    const refused = step(cloneState(offline), lateAction(workerAddr(0), 5_000), 5_000, {
      verifier: simVerifier,
    });
    expect(refused.ok ? 'accepted' : refused.code).toBe('WorkerNotActive');
    const noActiveCheck: StepFn = (s, a, now, env) => {
      const w = s.workers.get(workerAddr(0))!;
      w.online = true;
      const r = step(s, a, now, env);
      if (!r.ok) w.online = false;
      return r;
    };
    expect(
      only(
        'receiptsValid',
        checked(offline, lateAction(workerAddr(0), 5_000), 5_000, { stepFn: noActiveCheck }),
      ),
    ).toEqual([
      `accepted Included receipt of job 1: names ${workerAddr(0)}, which may not take jobs: it is offline`,
    ]);
  });
});

describe('jobsRefunded: a failed or expired job gives back what it held', () => {
  it('Included credits (the planted bug keeps them reserved), failed or expired', () => {
    const d = smallNetwork();
    d.run(includedJob(holderAddr(0), 7n));
    d.run({ type: 'dispatch' });
    const fail: Action = { type: 'failJob', jobId: 1, worker: workerAddr(0) };
    expect(checked(cloneState(d.state), fail, 10)).toEqual([]);
    expect(
      only(
        'jobsRefunded',
        checked(cloneState(d.state), fail, 10, { stepFn: plantedBugs.includedCreditsKept }),
      ),
    ).toEqual([`${holderAddr(0)}: 7 CU of ended jobs not given back (reserved 7 → 7, used 0 → 0)`]);
    const expire: Action = { type: 'expireJobs' };
    const late = d.state.jobs.get(1)!.deadlineAtMs + 1;
    expect(checked(cloneState(d.state), expire, late)).toEqual([]);
    expect(
      only(
        'jobsRefunded',
        checked(cloneState(d.state), expire, late, { stepFn: plantedBugs.includedCreditsKept }),
      ),
    ).toHaveLength(1);
  });

  it('a Dedicated job counts as undelivered in its reservation, whose escrow stays', () => {
    const d = smallNetwork();
    const sponsor = fundAndReserve(d);
    d.run(dedicatedJob(sponsor, 1, 7n));
    d.run({ type: 'dispatch' });
    const fail: Action = { type: 'failJob', jobId: 1, worker: workerAddr(0) };
    expect(checked(cloneState(d.state), fail, 10)).toEqual([]);
    const forgets: StepFn = (s, a, now, env) => {
      const r = step(s, a, now, env);
      s.reservations.get(1)!.failedCu -= 7n;
      return r;
    };
    expect(
      only('jobsRefunded', checked(cloneState(d.state), fail, 10, { stepFn: forgets })),
    ).toEqual(['reservation 1: 1 jobs (7 CU) ended, undelivered CU 0 → 0, open jobs 1 → 0']);
    const paysNow: StepFn = (s, a, now, env) => {
      const r = step(s, a, now, env);
      s.reservations.get(1)!.escrowMicroUsdc -= 7n;
      s.accounts.get(sponsor)!.usdc += 7n;
      return r;
    };
    expect(
      only('jobsRefunded', checked(cloneState(d.state), fail, 10, { stepFn: paysNow })),
    ).toEqual([
      expect.stringMatching(/^reservation 1: escrow moved \d+ → \d+ when its jobs ended/),
    ]);
  });
});

describe('snapshotBonded: the day snapshot is the bonded stake, not what is unbonding', () => {
  it('flags unbonding stake counted (the planted bug) and stays quiet without it', () => {
    const d = smallNetwork();
    d.run({ type: 'unstake', holder: holderAddr(0), amountOneWei: 500n * 10n ** 18n });
    const day1: Action = { type: 'startDay', day: 1 };
    expect(checked(cloneState(d.state), day1, 86_400_000)).toEqual([]);
    expect(
      only(
        'snapshotBonded',
        checked(cloneState(d.state), day1, 86_400_000, { stepFn: plantedBugs.unbondingInSnapshot }),
      ),
    ).toEqual([
      `day 1: ${holderAddr(0)} snapshot 2500000000000000000000 ≠ bonded stake 2000000000000000000000 (unbonding 500000000000000000000, credit day 1)`,
    ]);
  });
});

describe('reservationRefund: a reservation ends with refund and forfeit exact, paid where they go', () => {
  /** Reservation 1 (10 CU/s for an hour): one job of 7 CU delivered, one of 5 CU failed. */
  function lifecycle() {
    const d = smallNetwork();
    const checker = createInvariantChecker();
    const run = (action: Action, at: number) => {
      const v = checked(d.state, action, at, { checker });
      expect(v).toEqual([]);
      d.at(at);
    };
    run({ type: 'deposit', account: sponsorAddr(0), asset: 'usdc', amount: 1_000_000_000n }, 0);
    run(
      {
        type: 'reserve',
        sponsor: sponsorAddr(0),
        model: MODEL_A,
        rateCuPerSec: 10n,
        durationMs: 3_600_000,
      },
      0,
    );
    run(dedicatedJob(sponsorAddr(0), 1, 7n), 0);
    run({ type: 'dispatch' }, 0);
    const receipt = d.at(1_000).receiptFor(1);
    run(
      { type: 'completeJob', receipt, signature: createSimSigner(receipt.worker).sign(receipt) },
      1_000,
    );
    run(dedicatedJob(sponsorAddr(0), 1, 5n), 1_000);
    run({ type: 'dispatch' }, 1_000);
    run({ type: 'failJob', jobId: 2, worker: workerAddr(0) }, 2_000);
    const closesAt = 3_600_000 + d.params.jobDeadlineMaxMs + d.params.jobGraceMs;
    return { d, checker, closesAt, price: d.state.reservations.get(1)!.priceMicroUsdcPerCu };
  }

  it('refund = undelivered CU × price to the sponsor, forfeit = unused CU × price to the treasury', () => {
    const { d, checker, closesAt, price } = lifecycle();
    const end: Action = { type: 'endReservation', reservationId: 1 };
    const s = cloneState(d.state);
    const prev = cloneState(s);
    const r = step(s, end, closesAt, { verifier: simVerifier });
    expect(r.ok && r.events).toEqual([
      {
        type: 'ReservationEnded',
        reservationId: 1,
        refundedMicroUsdc: 5n * price,
        forfeitedMicroUsdc: (36_000n - 12n) * price,
      },
    ]);
    expect(
      createInvariantChecker().check({ prev, events: r.ok ? r.events : [], state: s }),
    ).toEqual([]);
    expect(checker.check({ prev, events: r.ok ? r.events : [], state: s })).toEqual([]);
  });

  it('flags refund and forfeit swapped (the planted bug), and amounts that are not owed', () => {
    const swapped = lifecycle();
    const end: Action = { type: 'endReservation', reservationId: 1 };
    expect(
      only(
        'reservationRefund',
        checked(swapped.d.state, end, swapped.closesAt, {
          stepFn: plantedBugs.refundForfeitSwapped,
          checker: swapped.checker,
        }),
      ),
    ).toEqual([
      `reservation 1: the sponsor got ${35_988n * swapped.price} (refund ${5n * swapped.price}), the treasury ${5n * swapped.price} (forfeit ${35_988n * swapped.price})`,
    ]);
    // A handler that forgets the failed job's CU: its refund is short, its forfeit too large.
    const short = lifecycle();
    const forgets: StepFn = (s, a, now, env) => {
      if (a.type === 'endReservation') s.reservations.get(1)!.failedCu = 0n;
      return step(s, a, now, env);
    };
    expect(
      only(
        'reservationRefund',
        checked(short.d.state, end, short.closesAt, { stepFn: forgets, checker: short.checker }),
      ),
    ).toEqual([
      `reservation 1: refunded 0 and forfeited ${35_993n * short.price}; owed ${5n * short.price} (5 CU undelivered) and ${35_988n * short.price} (35988 CU unused)`,
    ]);
  });
});
