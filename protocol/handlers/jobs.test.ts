import { describe, expect, it } from 'vitest';
import type { Action } from '../actions.ts';
import { stateHash } from '../stateHash.ts';
import { hash32 } from '../testing/fixtures.ts';
import {
  dedicatedJob,
  holderAddr,
  includedJob,
  MODEL_A,
  MODEL_B,
  smallNetwork,
  sponsorAddr,
} from '../testing/network.ts';
import { Lane } from '../types.ts';
import { USDC } from '../units.ts';

// Written for surviving mutants (docs/auditing.md): each submission and reservation check at
// its boundary (the value just accepted and the one just refused), and what acceptance records.
const DAY = 86_400_000;
const sponsor = sponsorAddr(0);

function withReservation(
  o: { rate?: bigint; durationMs?: number; model?: string | null; startAtMs?: number } = {},
) {
  const d = smallNetwork({ params: { jobsOpenMax: 50, reservationMinMs: 60_000 } });
  d.run({ type: 'deposit', account: sponsor, asset: 'usdc', amount: 1_000n * USDC });
  d.run({
    type: 'reserve',
    sponsor,
    model: o.model === undefined ? MODEL_A : o.model,
    rateCuPerSec: o.rate ?? 10n,
    durationMs: o.durationMs ?? 3_600_000,
    ...(o.startAtMs === undefined ? {} : { startAtMs: o.startAtMs }),
  });
  return d;
}

function refuses(d: ReturnType<typeof smallNetwork>, cases: Array<[Action, string]>) {
  const before = stateHash(d.state);
  for (const [action, code] of cases)
    expect(
      d.attempt(action),
      `${JSON.stringify(action, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`,
    ).toMatchObject({ ok: false, code, message: expect.stringMatching(/\S/) });
  expect(stateHash(d.state)).toBe(before);
}

describe('submitting Included jobs', () => {
  it('checks units, ids, deadline and lane at their boundaries', () => {
    const d = smallNetwork();
    const h = holderAddr(0);
    const job = (o: object) => ({ ...includedJob(h, 10n), ...o }) as Action;
    refuses(d, [
      [job({ units: 0n }), 'InvalidAmount'],
      [job({ units: 1n << 64n }), 'InvalidAmount'],
      [job({ units: (1n << 64n) - 1n }), 'InsufficientCredits'],
      [job({ model: 'model-a' }), 'InvalidAction'],
      [job({ model: MODEL_A.toUpperCase().replace('0X', '0x') }), 'InvalidAction'],
      [job({ model: `${MODEL_A}0` }), 'InvalidAction'],
      [job({ requestHash: '0x12' }), 'InvalidAction'],
      [job({ requestHash: `${hash32('r')}0` }), 'InvalidAction'],
      [job({ requestHash: `x${hash32('r')}` }), 'InvalidAction'],
      [job({ requestHash: 7 }), 'InvalidAction'],
      [job({ deadlineMs: 0 }), 'InvalidAction'],
      [job({ deadlineMs: -5 }), 'InvalidAction'],
      [job({ deadlineMs: 1.5 }), 'InvalidAction'],
      [job({ lane: 2 }), 'InvalidAction'],
    ]);
    const [a] = d.run(job({ deadlineMs: 1 }));
    expect(a).toEqual({
      type: 'JobSubmitted',
      jobId: 1,
      lane: Lane.included,
      requester: h,
      model: MODEL_A,
      units: 10n,
    });
    expect(d.state.jobs.get(1)).toMatchObject({
      deadlineAtMs: 1,
      submittedAtMs: 0,
      status: 'queued',
      creditDay: 0,
      priceMicroUsdcPerCu: 2n,
      worker: null,
      reservationId: null,
    });
    d.run(job({ deadlineMs: 10 ** 12 }));
    expect(d.state.jobs.get(2)!.deadlineAtMs).toBe(d.params.jobDeadlineMaxMs);
    d.run(job({}));
    expect(d.state.jobs.get(3)!.deadlineAtMs).toBe(d.params.jobDeadlineDefaultMs);
    expect([
      d.state.openJobs,
      d.state.totals.jobsSubmitted,
      d.state.holders.get(h)!.reservedCu,
    ]).toEqual([3, 3, 30n]);
    // The deadline heap holds them: expiry ends job 1 first.
    expect(d.at(2).run({ type: 'expireJobs' })).toEqual([
      expect.objectContaining({ type: 'JobExpired', jobId: 1 }),
    ]);
  });

  it('spends exactly the free credits of the current day, and none before the day starts', () => {
    const d = smallNetwork();
    const h = holderAddr(0);
    const holder = d.state.holders.get(h)!;
    const free = holder.allotmentCu;
    d.run(includedJob(h, free - 5n));
    refuses(d, [
      [includedJob(h, 6n), 'InsufficientCredits'],
      [includedJob(holderAddr(77), 1n), 'InsufficientCredits'], // never staked: no holder record
    ]);
    d.run(includedJob(h, 5n));
    refuses(d, [[includedJob(h, 1n), 'InsufficientCredits']]);
    // Day 1 has not started at its first millisecond: no submissions.
    d.at(DAY);
    refuses(d, [[includedJob(holderAddr(1), 1n), 'DayNotStarted']]);
    const fresh = smallNetwork({ holderStakesOne: [] });
    fresh.at(DAY - 1);
    refuses(fresh, [[includedJob(h, 1n), 'InsufficientCredits']]);
  });

  it('refuses jobs once the open-job cap is reached, until jobs end', () => {
    const d = smallNetwork({ params: { jobsOpenMax: 2 } });
    d.run(includedJob(holderAddr(0), 1n));
    d.run(includedJob(holderAddr(0), 1n));
    refuses(d, [[includedJob(holderAddr(0), 1n), 'QueueFull']]);
    d.at(d.params.jobDeadlineDefaultMs + 1).run({ type: 'expireJobs' });
    d.run(includedJob(holderAddr(0), 1n));
  });
});

describe('submitting Dedicated jobs', () => {
  it('checks the reservation: exists, owner, window, model, capacity, burst', () => {
    const d = withReservation({ rate: 2n, durationMs: 60_000 }); // 120 CU, burst 120 CU
    const s = sponsor;
    refuses(d, [
      [{ ...dedicatedJob(s, 1, 1n), reservationId: undefined } as Action, 'UnknownReservation'],
      [dedicatedJob(s, 9, 1n), 'UnknownReservation'],
      [dedicatedJob(holderAddr(0), 1, 1n), 'NotReservationOwner'],
      [dedicatedJob(s, 1, 1n, MODEL_B), 'ModelNotCovered'],
      [dedicatedJob(s, 1, 121n), 'ReservationExhausted'],
    ]);
    d.run(dedicatedJob(s, 1, 100n));
    refuses(d, [[dedicatedJob(s, 1, 21n), 'ReservationExhausted']]);
    d.run(dedicatedJob(s, 1, 20n));
    expect(d.state.reservations.get(1)).toMatchObject({ submittedCu: 120n, openJobs: 2 });
    expect(d.state.jobs.get(2)).toMatchObject({
      reservationId: 1,
      priceMicroUsdcPerCu: 3n,
      lane: Lane.dedicated,
    });
    expect(d.state.dedicatedWaiting).toEqual([1]);
    // The window is [start, end): refused at its end.
    const e = withReservation({ durationMs: 60_000 });
    e.at(60_000);
    refuses(e, [[dedicatedJob(s, 1, 1n), 'ReservationNotActive']]);
    e.at(59_999).run(dedicatedJob(s, 1, 1n));
    const later = withReservation({ startAtMs: 1_000 });
    refuses(later.at(999), [[dedicatedJob(s, 1, 1n), 'ReservationNotActive']]);
    later.at(1_000).run(dedicatedJob(s, 1, 1n));
    // A job may not exceed what the bucket can ever hold: rate × burst.
    const b = withReservation({ rate: 1n, durationMs: 3_600_000 }); // burst 60 CU
    refuses(b, [[dedicatedJob(s, 1, 61n), 'InvalidAmount']]);
    b.run(dedicatedJob(s, 1, 60n));
    // A reservation for every model takes any model.
    const any = withReservation({ model: null });
    any.run(dedicatedJob(s, 1, 1n, MODEL_B));
  });
});

describe('reserving', () => {
  it('checks rate, duration, start and model at their boundaries and charges cost plus fee', () => {
    const d = smallNetwork();
    d.run({ type: 'deposit', account: sponsor, asset: 'usdc', amount: 1_000n * USDC });
    const p = d.params;
    const r = (o: object) =>
      ({
        type: 'reserve',
        sponsor,
        model: MODEL_A,
        rateCuPerSec: 1n,
        durationMs: 3_600_000,
        ...o,
      }) as Action;
    d.at(5_000);
    refuses(d, [
      [r({ rateCuPerSec: 0n }), 'InvalidReservation'],
      [r({ durationMs: 3_600_500 }), 'InvalidReservation'],
      [r({ durationMs: 1.5 }), 'InvalidReservation'],
      [r({ durationMs: p.reservationMinMs - 1_000 }), 'InvalidReservation'],
      [r({ durationMs: p.reservationMaxMs + 1_000 }), 'InvalidReservation'],
      [r({ startAtMs: 4_999 }), 'InvalidReservation'],
      [r({ startAtMs: 5_000.5 }), 'InvalidReservation'],
      [r({ model: 'x' }), 'InvalidReservation'],
      [r({ rateCuPerSec: 10n ** 9n }), 'InsufficientBalance'],
    ]);
    d.run(r({ durationMs: p.reservationMinMs }));
    d.run(r({ durationMs: p.reservationMaxMs, startAtMs: 5_000 }));
    const res = d.state.reservations.get(2)!;
    expect(res).toMatchObject({
      startAtMs: 5_000,
      endAtMs: 5_000 + p.reservationMaxMs,
      tokensAtMs: 5_000,
      tokensMilliCu: 60_000n,
    });
  });
});
