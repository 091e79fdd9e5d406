import { describe, expect, it } from 'vitest';
import type { Action } from '../actions.ts';
import { dequeNew } from '../deque.ts';
import { createSimSigner, simVerifier } from '../receipts/simVerifier.ts';
import { cloneState } from '../state.ts';
import { step } from '../step.ts';
import {
  dedicatedJob,
  fundAndReserve,
  holderAddr,
  includedJob,
  MODEL_A,
  smallNetwork,
  workerAddr,
} from '../testing/network.ts';
import type { State } from '../types.ts';
import { bookkeeping } from './bookkeeping.ts';
import type { InvariantViolation } from './stateInvariants.ts';
import { createInvariantChecker } from './stepInvariants.ts';

const messages = (s: State) => {
  const out: InvariantViolation[] = [];
  bookkeeping(s, out);
  expect(out.every((v) => v.invariant === 'bookkeeping')).toBe(true);
  return out.map((v) => v.message);
};

/** A network with one Included job running and one Dedicated job queued. */
function busy() {
  const d = smallNetwork();
  const sponsor = fundAndReserve(d);
  d.run(includedJob(holderAddr(0), 7n));
  d.run({ type: 'dispatch' });
  d.run(dedicatedJob(sponsor, 1, 5n));
  return d;
}

describe('bookkeeping: derived state says what the jobs say', () => {
  it('holds on the protocol itself', () => {
    expect(messages(busy().state)).toEqual([]);
  });

  it('names a reservation passed over although its bucket covers its head job', () => {
    const d = smallNetwork();
    const sponsor = fundAndReserve(d);
    d.run(dedicatedJob(sponsor, 1, 600n)); // takes the whole bucket
    d.run({ type: 'dispatch' });
    d.complete(1);
    d.run(dedicatedJob(sponsor, 1, 10n)); // covered 1,000 ms later
    d.run({ type: 'dispatch' });
    expect(d.state.dedicatedNotBeforeMs.get(1)).toBe(1_000);
    expect(messages(d.state)).toEqual([]);
    const s = cloneState(d.state);
    s.dedicatedNotBeforeMs.set(1, 5_000);
    expect(messages(s)).toEqual([
      'reservation 1 is passed over until 5000, but its bucket covers its head job 2 at 1000',
    ]);
    s.dedicatedNotBeforeMs.set(7, 0);
    expect(messages(s)).toContain('reservation 7 is passed over until 0 but is not waiting');
  });

  it('names each counter or index a handler forgot', () => {
    const s = cloneState(busy().state);
    const running = [...s.jobs.values()].find((j) => j.status === 'running')!;
    s.openJobs += 1;
    s.workers.get(running.worker!)!.activeJobs += 1;
    s.holders.get(holderAddr(0))!.reservedCu = 0n;
    const found = messages(s);
    expect(found).toContain(`openJobs ${s.openJobs} ≠ ${s.openJobs - 1} jobs not completed`);
    expect(found.some((m) => m.startsWith(`${running.worker} activeJobs 2 ≠ 1`))).toBe(true);
    expect(found.some((m) => m.startsWith(`${holderAddr(0)} reservedCu 0 ≠ 7`))).toBe(true);
  });

  it('a worker listed as free without a free slot, and a queued job missing from its queue', () => {
    const s = cloneState(busy().state);
    const busyWorker = [...s.jobs.values()].find((j) => j.status === 'running')!.worker!;
    const w = s.workers.get(busyWorker)!;
    w.slots = w.activeJobs;
    s.freeWorkers.get(MODEL_A)!.add(busyWorker);
    const queued = [...s.jobs.values()].find((j) => j.status === 'queued')!;
    s.reservations.get(queued.reservationId!)!.queue = dequeNew();
    const found = messages(s);
    expect(found.some((m) => m.startsWith(`${busyWorker} is listed for`))).toBe(true);
    expect(found.some((m) => m.startsWith(`queued job ${queued.id} is not in reservation`))).toBe(
      true,
    );
  });
});

describe('eventsAccount: the state moves as its events say', () => {
  it('quiet on a real step; flags a counter moved without its event', () => {
    const d = smallNetwork();
    const prev = cloneState(d.state);
    const state = cloneState(d.state);
    const r = step(state, includedJob(holderAddr(0), 7n), d.state.nowMs, {
      verifier: simVerifier,
    });
    if (!r.ok) throw new Error(r.message);
    const check = () =>
      createInvariantChecker()
        .check({ prev, events: r.events, state })
        .filter((v) => v.invariant === 'eventsAccount')
        .map((v) => v.message);
    expect(check()).toEqual([]);
    state.totals.jobsFailed += 1;
    state.treasuryMicroUsdc += 1n;
    state.workers.get(workerAddr(0))!.served += 1;
    const found = check();
    expect(found).toContain('totals.jobsFailed moved 1, the events say 0');
    expect(found).toContain('the treasury moved 1, the events say 0');
    expect(found.some((m) => m.startsWith(`${workerAddr(0)} served 0 → 1`))).toBe(true);
  });
});

describe('eventsAccount: a completion moves what it delivered', () => {
  /** Completes job 1 with `corrupt` applied to the state after the step; the step's messages. */
  function completed(lane: 'included' | 'dedicated', corrupt: (s: State) => void = () => {}) {
    const d = smallNetwork();
    if (lane === 'dedicated') d.run(dedicatedJob(fundAndReserve(d), 1, 7n));
    else d.run(includedJob(holderAddr(0), 7n));
    d.run({ type: 'dispatch' });
    const receipt = d.at(1_000).receiptFor(1);
    const action: Action = {
      type: 'completeJob',
      receipt,
      signature: createSimSigner(receipt.worker).sign(receipt),
    };
    const prev = cloneState(d.state);
    const state = cloneState(d.state);
    const r = step(state, action, 1_000, { verifier: simVerifier });
    if (!r.ok) throw new Error(r.message);
    corrupt(state);
    return createInvariantChecker()
      .check({ prev, events: r.events, state, action, verifier: simVerifier })
      .filter((v) => v.invariant === 'eventsAccount')
      .map((v) => v.message);
  }

  it('quiet on the protocol in both lanes', () => {
    expect(completed('included')).toEqual([]);
    expect(completed('dedicated')).toEqual([]);
  });

  it("flags used credits, delivered CU or committed pay that moved unlike the job's units", () => {
    expect(
      completed('included', (s) => {
        s.holders.get(holderAddr(0))!.usedCu -= 14n;
      }),
    ).toEqual([`${holderAddr(0)} usedCu 0 → -7; its completed jobs say +7`]);
    const dedicated = completed('dedicated', (s) => {
      const r = s.reservations.get(1)!;
      r.deliveredCu -= 14n;
      r.committedMicroUsdc += 1n;
    });
    expect(dedicated.some((m) => m.startsWith('reservation 1 deliveredCu 0 → -7'))).toBe(true);
    expect(dedicated.some((m) => m.startsWith('reservation 1 committed'))).toBe(true);
  });
});
