import { describe, expect, it } from 'vitest';
import type { Action } from '../actions.ts';
import { stateHash } from '../stateHash.ts';
import { addr, hash32 } from '../testing/fixtures.ts';
import {
  dedicatedJob,
  holderAddr,
  includedJob,
  MODEL_A,
  smallNetwork,
  sponsorAddr,
  workerAddr,
} from '../testing/network.ts';
import type { Reservation } from '../types.ts';
import { USDC } from '../units.ts';
import { isModelId, refillBucket } from './reservations.ts';

// Written for surviving mutants (docs/auditing.md): the token bucket, the exact balance a
// reservation needs, ending a reservation at its boundary, and what settlement does with the
// escrow of a Dedicated receipt that was paid or withheld (voided by a slash).
const EPOCH = 21_600_000;
const s = sponsorAddr(0);
const HOUR = 3_600_000;
type D = ReturnType<typeof smallNetwork>;

function refuses(d: D, cases: Array<[Action, string]>) {
  const before = stateHash(d.state);
  for (const [action, code] of cases)
    expect(d.attempt(action), action.type).toMatchObject({
      ok: false,
      code,
      message: expect.stringMatching(/\S/),
    });
  expect(stateHash(d.state)).toBe(before);
}

describe('token bucket', () => {
  it('accrues rate × elapsed ms as milli-CU inside the window, capped at rate × burst', () => {
    const r = {
      rateCuPerSec: 2n,
      tokensMilliCu: 0n,
      tokensAtMs: 1_000,
      endAtMs: 10_000,
    } as Reservation;
    refillBucket(r, 500, 3_000); // before the window: nothing
    expect([r.tokensMilliCu, r.tokensAtMs]).toEqual([0n, 1_000]);
    refillBucket(r, 2_000, 3_000);
    expect([r.tokensMilliCu, r.tokensAtMs]).toEqual([2_000n, 2_000]);
    refillBucket(r, 3_000, 3_000); // 4,000 < cap 6,000
    expect(r.tokensMilliCu).toBe(4_000n);
    refillBucket(r, 4_000, 3_000); // exactly the cap
    expect(r.tokensMilliCu).toBe(6_000n);
    refillBucket(r, 5_000, 3_000);
    expect([r.tokensMilliCu, r.tokensAtMs]).toEqual([6_000n, 5_000]);
    r.tokensMilliCu = 0n;
    refillBucket(r, 20_000, 3_000); // accrual stops at the end of the window
    expect([r.tokensMilliCu, r.tokensAtMs]).toEqual([6_000n, 10_000]);
    r.tokensMilliCu = 1_000n;
    refillBucket(r, 9_000, 3_000); // time before tokensAtMs adds nothing
    expect([r.tokensMilliCu, r.tokensAtMs]).toEqual([1_000n, 10_000]);
  });
});

describe('reserving and ending', () => {
  it('needs exactly cost + fee; the fee is rounded up and goes to the treasury', () => {
    const d = smallNetwork();
    // 1 CU/s for 1 h at 3 µ = 10,800 µ; fee 10 % = 1,080 µ.
    d.run({ type: 'deposit', account: s, asset: 'usdc', amount: 11_879n });
    const r: Action = {
      type: 'reserve',
      sponsor: s,
      model: MODEL_A,
      rateCuPerSec: 1n,
      durationMs: HOUR,
    };
    refuses(d, [
      [{ ...r, sponsor: addr(77, 3) } as Action, 'InsufficientBalance'], // no account at all
      [{ type: 'stake', holder: addr(77, 1), amountOneWei: 1n }, 'InsufficientBalance'],
      [r, 'InsufficientBalance'],
      [{ ...r, model: `x${MODEL_A}` } as Action, 'InvalidReservation'],
    ]);
    d.run({ type: 'deposit', account: s, asset: 'usdc', amount: 1n });
    const treasury = d.state.treasuryMicroUsdc;
    expect(d.run(r)).toEqual([
      {
        type: 'Reserved',
        reservationId: 1,
        sponsor: s,
        reservedCu: 3_600n,
        costMicroUsdc: 10_800n,
        feeMicroUsdc: 1_080n,
      },
    ]);
    expect([
      d.state.accounts.get(s)!.usdc,
      d.state.treasuryMicroUsdc - treasury,
      d.state.totals.feesMicroUsdc,
    ]).toEqual([0n, 1_080n, 1_080n]);
  });

  it('ends after window + longest deadline + grace, once, with no open job; refunds failed CU', () => {
    const d = smallNetwork();
    d.run({ type: 'deposit', account: s, asset: 'usdc', amount: 1_000n * USDC });
    d.run({ type: 'reserve', sponsor: s, model: MODEL_A, rateCuPerSec: 1n, durationMs: HOUR });
    d.run(dedicatedJob(s, 1, 10n));
    d.run({ type: 'dispatch' });
    d.run({ type: 'failJob', jobId: 1, worker: workerAddr(0) }); // 10 CU failed: refunded at the end
    d.run(dedicatedJob(s, 1, 5n)); // job 2 stays open
    const closes = HOUR + d.params.jobDeadlineMaxMs + d.params.jobGraceMs;
    refuses(d.at(closes - 1), [
      [{ type: 'endReservation', reservationId: 1 }, 'TooEarly'],
      [{ type: 'endReservation', reservationId: 2 }, 'UnknownReservation'],
    ]);
    d.at(closes);
    refuses(d, [[{ type: 'endReservation', reservationId: 1 }, 'ReservationOpenJobs']]);
    d.run({ type: 'expireJobs' }); // job 2 expires: 5 CU more refunded
    const before = d.state.accounts.get(s)!.usdc;
    const treasury = d.state.treasuryMicroUsdc;
    expect(d.run({ type: 'endReservation', reservationId: 1 })).toEqual([
      {
        type: 'ReservationEnded',
        reservationId: 1,
        refundedMicroUsdc: 45n,
        forfeitedMicroUsdc: 10_800n - 45n,
      },
    ]);
    expect(d.state.accounts.get(s)!.usdc - before).toBe(45n);
    expect(d.state.treasuryMicroUsdc - treasury).toBe(10_755n);
    expect(d.state.totals).toMatchObject({ refundedMicroUsdc: 45n, forfeitedMicroUsdc: 10_755n });
    expect(d.state.reservations.has(1)).toBe(false); // nothing owed: gone
  });

  it('an ended reservation with owed escrow stays until its receipts are paid, then goes', () => {
    const d = smallNetwork();
    d.run({ type: 'deposit', account: s, asset: 'usdc', amount: 1_000n * USDC });
    d.run({ type: 'reserve', sponsor: s, model: MODEL_A, rateCuPerSec: 1n, durationMs: HOUR });
    d.run(dedicatedJob(s, 1, 10n));
    d.run({ type: 'dispatch' });
    d.at(1_000).complete(1); // epoch 0: 30 µ owed
    const closes = HOUR + d.params.jobDeadlineMaxMs + d.params.jobGraceMs;
    d.at(closes).run({ type: 'endReservation', reservationId: 1 });
    expect(d.state.reservations.get(1)).toMatchObject({
      ended: true,
      escrowMicroUsdc: 30n,
      committedMicroUsdc: 30n,
    });
    refuses(d, [[{ type: 'endReservation', reservationId: 1 }, 'ReservationEnded']]);
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    expect(d.state.reservations.has(1)).toBe(true);
    d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 }); // pays job 1 from escrow
    expect(d.state.reservations.has(1)).toBe(false);
    expect(d.state.totals.dedicatedPaidMicroUsdc).toBe(30n);
  });
});

describe('paid Dedicated receipts', () => {
  it('a paid receipt is no longer owed; an ended reservation stays while other receipts are owed', () => {
    const d = smallNetwork();
    d.run({ type: 'deposit', account: s, asset: 'usdc', amount: 1_000n * USDC });
    d.run({ type: 'reserve', sponsor: s, model: MODEL_A, rateCuPerSec: 1n, durationMs: 7 * HOUR });
    d.run(dedicatedJob(s, 1, 10n));
    d.run({ type: 'dispatch' });
    d.at(1_000).complete(1); // epoch 0: 30 µ owed
    d.at(EPOCH + 1_000).run(dedicatedJob(s, 1, 5n));
    d.run({ type: 'dispatch' });
    d.complete(2); // epoch 1: 15 µ owed
    d.run({ type: 'settle', epoch: 0 });
    d.at(8 * HOUR).run({ type: 'endReservation', reservationId: 1 });
    expect(d.state.reservations.get(1)).toMatchObject({
      ended: true,
      escrowMicroUsdc: 45n,
      committedMicroUsdc: 45n,
    });
    d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 }); // pays job 1
    expect(d.state.reservations.get(1)).toMatchObject({
      escrowMicroUsdc: 15n,
      committedMicroUsdc: 15n,
    });
    d.at(3 * EPOCH).run({ type: 'settle', epoch: 2 }); // pays job 2: nothing left, gone
    expect(d.state.reservations.has(1)).toBe(false);
  });
});

describe('withheld Dedicated receipts', () => {
  const oracle = (i: number) => addr(i, 4);

  /** A Dedicated receipt in epoch 0 whose worker is slashed when epoch 0 settles. */
  function slashedDedicated(endFirst: boolean) {
    const d = smallNetwork({
      params: { auditSampleRate: { num: 1n, den: 1n }, oracleFeeMicroUsdcPerVerdict: 0n },
    });
    for (let i = 0; i < 3; i++)
      d.run({ type: 'registerOracle', proposer: d.params.governor, oracle: oracle(i) });
    d.run({ type: 'deposit', account: s, asset: 'usdc', amount: 1_000n * USDC });
    // The sponsor also stakes: a slashed Dedicated job must not touch its Included credits.
    d.run({ type: 'deposit', account: s, asset: 'one', amount: 1n });
    d.run({ type: 'stake', holder: s, amountOneWei: 1n });
    d.run({ type: 'reserve', sponsor: s, model: MODEL_A, rateCuPerSec: 1n, durationMs: HOUR });
    d.run(dedicatedJob(s, 1, 10n));
    d.run({ type: 'dispatch' });
    d.at(1_000).complete(1);
    d.run(includedJob(holderAddr(0), 4n)); // an Included receipt of the same worker, same epoch
    d.run({ type: 'dispatch' });
    d.complete(2);
    d.at(EPOCH).run({ type: 'settle', epoch: 0 }); // opens audits of epoch 0
    for (const jobId of [1, 2])
      for (let i = 0; i < 2; i++)
        d.attempt({ type: 'auditVerdict', oracle: oracle(i), jobId, resultHash: hash32('lie') });
    if (endFirst) d.run({ type: 'endReservation', reservationId: 1 }); // its window closed long ago
    return d;
  }

  it('before the reservation ends: the escrow is no longer owed and counts as failed CU', () => {
    const d = slashedDedicated(false);
    const sponsorBefore = d.state.accounts.get(s)!.usdc;
    const events = d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 });
    expect(events.filter((e) => e.type === 'ReceiptSettled')).toEqual([]);
    expect(d.state.reservations.get(1)).toMatchObject({
      committedMicroUsdc: 0n,
      failedCu: 10n,
      escrowMicroUsdc: 10_800n,
    });
    expect(d.state.accounts.get(s)!.usdc).toBe(sponsorBefore);
    expect(d.state.totals.withheldMicroUsdc).toBe(30n + 8n);
    expect(d.state.holders.get(s)).toMatchObject({ creditDay: 0, usedCu: 0n, reservedCu: 0n });
  });

  it('after it ended: the escrow goes back to the sponsor at once and the reservation closes', () => {
    const d = slashedDedicated(true);
    expect(d.state.reservations.get(1)).toMatchObject({
      escrowMicroUsdc: 30n,
      committedMicroUsdc: 30n,
    });
    const sponsorBefore = d.state.accounts.get(s)!.usdc;
    const refunded = d.state.totals.refundedMicroUsdc;
    d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 });
    expect(d.state.accounts.get(s)!.usdc - sponsorBefore).toBe(30n);
    expect(d.state.totals.refundedMicroUsdc - refunded).toBe(30n);
    expect(d.state.reservations.has(1)).toBe(false);
  });

  it('an epoch with nothing to pay posts no settlement', () => {
    const d = smallNetwork();
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    expect(d.state.settlements.size).toBe(0);
    expect(d.state.lastSettledEpoch).toBe(0);
  });
});

describe('model ids', () => {
  it('accepts 0x and 64 lower-case hex digits only, whatever it accepted before', () => {
    const id = `0x${'ab'.repeat(32)}`;
    const bad = [null, undefined, 5, '', '0x', `0x${'AB'.repeat(32)}`, `${id}0`, id.slice(0, 65)];
    for (const m of bad) expect(isModelId(m), String(m)).toBe(false);
    expect(isModelId(id)).toBe(true);
    expect(isModelId(id)).toBe(true);
    for (const m of bad) expect(isModelId(m), String(m)).toBe(false);
    expect(isModelId(`0x${'0'.repeat(64)}`)).toBe(true);
  });
});
