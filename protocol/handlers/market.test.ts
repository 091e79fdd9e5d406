import { describe, expect, it } from 'vitest';
import {
  dedicatedJob,
  holderAddr,
  includedJob,
  MODEL_A,
  MODEL_B,
  smallNetwork,
  sponsorAddr,
  workerAddr,
} from '../testing/network.ts';
import { USDC } from '../units.ts';

const HOUR = 3_600_000;

function withReservation(rateCuPerSec = 10n, o: Parameters<typeof smallNetwork>[0] = {}) {
  const d = smallNetwork({ ...o, params: { dedicatedBurstMs: 10_000, ...(o.params as object) } });
  const s = sponsorAddr(0);
  d.run({ type: 'deposit', account: s, asset: 'usdc', amount: 1_000n * USDC });
  d.run({ type: 'reserve', sponsor: s, model: MODEL_A, rateCuPerSec, durationMs: HOUR });
  return { d, s };
}

describe('Dedicated reservations', () => {
  it('charges cost = R · duration · price into escrow and the fee φ on top to the treasury', () => {
    const { d, s } = withReservation();
    // 10 CU/s × 3,600 s = 36,000 CU × 3 µ = 108,000 µ; fee 10% = 10,800 µ.
    const r = d.state.reservations.get(1)!;
    expect([r.reservedCu, r.escrowMicroUsdc]).toEqual([36_000n, 108_000n]);
    expect(d.state.accounts.get(s)!.usdc).toBe(1_000n * USDC - 118_800n);
    expect(d.state.totals.feesMicroUsdc).toBe(10_800n);
  });

  it('rounds the fee up: 1 CU/s for 1 h at 3 µ = 10,800 µ cost; φ = 1/7 → ceil(1,542.86) = 1,543', () => {
    const { d } = withReservation(1n, { params: { dedicatedFee: { num: 1n, den: 7n } } });
    expect(d.state.totals.feesMicroUsdc).toBe(1_543n);
  });

  it('refunds failed CU and forfeits unused capacity at the end; delivered escrow waits for settlement', () => {
    const { d, s } = withReservation();
    d.run(dedicatedJob(s, 1, 100n));
    d.run({ type: 'dispatch' });
    d.at(1_000).complete(1);
    d.run(dedicatedJob(s, 1, 50n));
    d.at(5_000).run({ type: 'dispatch' }); // the bucket refills 10 CU/s after job 1 emptied it
    d.run({ type: 'failJob', jobId: 2, worker: workerAddr(0) });
    expect(d.at(HOUR).attempt({ type: 'endReservation', reservationId: 1 })).toMatchObject({
      ok: false,
      code: 'TooEarly',
    });
    const before = d.state.accounts.get(s)!.usdc;
    const ev = d.at(HOUR + 1_800_000 + 60_000).run({ type: 'endReservation', reservationId: 1 });
    expect(ev[0]).toMatchObject({
      refundedMicroUsdc: 150n,
      forfeitedMicroUsdc: 108_000n - 300n - 150n,
    });
    expect(d.state.accounts.get(s)!.usdc - before).toBe(150n);
    expect(d.state.reservations.get(1)!.escrowMicroUsdc).toBe(300n);
  });

  it('rejects jobs outside the reservation: wrong owner, model, exhausted, after the end', () => {
    const { d, s } = withReservation(1n, {
      params: { reservationMinMs: 1_000, dedicatedBurstMs: 10_000 },
    });
    expect(d.attempt(dedicatedJob(sponsorAddr(5), 1, 1n))).toMatchObject({
      code: 'NotReservationOwner',
    });
    expect(d.attempt(dedicatedJob(s, 1, 1n, MODEL_B))).toMatchObject({ code: 'ModelNotCovered' });
    expect(d.attempt(dedicatedJob(s, 1, 11n))).toMatchObject({ code: 'InvalidAmount' }); // > burst of 10 CU
    expect(d.attempt(dedicatedJob(s, 9, 1n))).toMatchObject({ code: 'UnknownReservation' });
    expect(d.at(HOUR).attempt(dedicatedJob(s, 1, 1n))).toMatchObject({
      code: 'ReservationNotActive',
    });
  });
});

describe('the scheduler', () => {
  it('serves Dedicated jobs within their rate before any Included job', () => {
    const { d, s } = withReservation();
    d.run(includedJob(holderAddr(0), 10n));
    d.run(dedicatedJob(s, 1, 10n));
    const ev = d.run({ type: 'dispatch' });
    expect(ev).toEqual([expect.objectContaining({ type: 'JobDispatched', jobId: 2, lane: 1 })]);
  });

  it('holds Dedicated jobs over the token bucket back and lets Included use the worker', () => {
    // 10 CU/s, burst 10 s = 100 CU. Two 60-CU jobs: the second waits for tokens.
    const { d, s } = withReservation(10n, { workers: [{ models: [MODEL_A], slots: 3 }] });
    d.run(dedicatedJob(s, 1, 60n));
    d.run(dedicatedJob(s, 1, 60n));
    d.run(includedJob(holderAddr(0), 10n));
    const ev = d.run({ type: 'dispatch' });
    expect(ev.map((e) => (e as { jobId: number }).jobId)).toEqual([1, 3]);
    // After 2 s, 40 + 20 = 60 CU of tokens: the second dedicated job goes.
    expect(d.at(2_000).run({ type: 'dispatch' })).toEqual([expect.objectContaining({ jobId: 2 })]);
  });

  it('round-robins Included jobs across holders, FIFO within a holder', () => {
    const d = smallNetwork({ holderStakesOne: [1_000n, 1_000n, 1_000n] });
    const [a, b, c] = [holderAddr(0), holderAddr(1), holderAddr(2)];
    for (const h of [a, a, a, b, c]) d.run(includedJob(h, 1n));
    const order: number[] = [];
    for (let t = 1; order.length < 5; t++) {
      const ev = d.at(t).run({ type: 'dispatch' });
      for (const e of ev)
        if (e.type === 'JobDispatched') {
          order.push(e.jobId);
          d.complete(e.jobId);
        }
    }
    expect(order).toEqual([1, 4, 5, 2, 3]);
  });

  it('prefers the more reliable of the free workers', () => {
    const d = smallNetwork({
      workers: [
        { models: [MODEL_A], slots: 1 },
        { models: [MODEL_A], slots: 1 },
      ],
    });
    d.run(includedJob(holderAddr(0), 1n));
    d.run(includedJob(holderAddr(0), 1n));
    d.run({ type: 'dispatch' });
    const failedWorker = d.state.jobs.get(1)!.worker!;
    d.run({ type: 'failJob', jobId: 1, worker: failedWorker });
    d.complete(2);
    d.run(includedJob(holderAddr(0), 1n));
    d.run({ type: 'dispatch' });
    expect(d.state.jobs.get(3)!.worker).not.toBe(failedWorker);
  });

  it('skips offline, exiting and unbonded workers', () => {
    const d = smallNetwork();
    d.run({ type: 'setWorkerOnline', worker: workerAddr(0), online: false });
    d.run(includedJob(holderAddr(0), 1n));
    expect(d.run({ type: 'dispatch' })).toEqual([]);
    d.run({ type: 'setWorkerOnline', worker: workerAddr(0), online: true });
    d.run({ type: 'exitWorker', worker: workerAddr(0) });
    expect(d.run({ type: 'dispatch' })).toEqual([]);
  });
});
