import { describe, expect, it } from 'vitest';
import type { ProtocolEvent } from '../events.ts';
import {
  dedicatedJob,
  fundAndReserve,
  holderAddr,
  includedJob,
  MODEL_A,
  smallNetwork,
  sponsorAddr,
  workerAddr,
} from '../testing/network.ts';
import { attested } from './kyc.ts';

// Written for surviving mutants (docs/auditing.md): the scheduler must not lose a queued job
// when no worker is free, must skip jobs that ended while queued, and must forget reservations
// whose queue it emptied.
const w0 = workerAddr(0);
const dispatched = (events: ProtocolEvent[]) =>
  events.filter((e) => e.type === 'JobDispatched').map((e) => (e as { jobId: number }).jobId);

function network() {
  const d = smallNetwork({ workers: [{ models: [MODEL_A], slots: 1 }] });
  fundAndReserve(d);
  return d;
}

describe('the scheduler', () => {
  it('keeps jobs queued while no worker is free, and hands them out once one is', () => {
    const d = network();
    d.run({ type: 'setWorkerOnline', worker: w0, online: false });
    d.run(dedicatedJob(sponsorAddr(0), 1, 5n)); // job 1
    d.run(includedJob(holderAddr(0), 5n)); // job 2
    expect(d.run({ type: 'dispatch' })).toEqual([]);
    expect(d.state.dedicatedWaiting).toEqual([1]);
    d.run({ type: 'setWorkerOnline', worker: w0, online: true });
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([1]);
    expect(d.state.dedicatedWaiting).toEqual([]);
    d.complete(1);
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([2]);
    expect(d.state.includedQueues.size).toBe(0);
  });

  it('lists a reservation with queued jobs once', () => {
    const d = network();
    d.run({ type: 'setWorkerOnline', worker: w0, online: false });
    d.run(dedicatedJob(sponsorAddr(0), 1, 5n));
    d.run(dedicatedJob(sponsorAddr(0), 1, 1n));
    d.run({ type: 'dispatch' });
    expect(d.state.dedicatedWaiting).toEqual([1]);
    d.run(dedicatedJob(sponsorAddr(0), 1, 1n));
    expect(d.state.dedicatedWaiting).toEqual([1]);
  });

  it('skips jobs that ended while queued and still serves the ones behind them', () => {
    const d = network();
    d.run({ type: 'setWorkerOnline', worker: w0, online: false });
    const s = sponsorAddr(0);
    d.run({ ...dedicatedJob(s, 1, 5n), deadlineMs: 1_000 }); // job 1 expires
    d.run({ ...includedJob(holderAddr(0), 5n), deadlineMs: 1_000 }); // job 2 expires
    d.at(500).run(dedicatedJob(s, 1, 5n)); // job 3
    d.run(includedJob(holderAddr(0), 5n)); // job 4
    d.at(1_001).run({ type: 'expireJobs' });
    d.run({ type: 'setWorkerOnline', worker: w0, online: true });
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([3]);
    d.complete(3);
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([4]);
  });

  it('a worker with free slots keeps taking jobs; a full one leaves the index', () => {
    const d = smallNetwork({ workers: [{ models: [MODEL_A], slots: 2 }] });
    for (let i = 0; i < 3; i++) d.run(includedJob(holderAddr(0), 1n));
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([1, 2]);
    expect(d.state.freeWorkers.get(MODEL_A)?.has(w0)).toBe(false);
    expect(d.state.workers.get(w0)!.activeJobs).toBe(2);
    d.complete(1);
    expect(d.state.freeWorkers.get(MODEL_A)?.has(w0)).toBe(true);
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([3]);
  });

  // Reservation 1: 10 CU/s, a bucket of 600 CU (60 s burst), refilling at 10 milli-CU per ms.
  it('passes over a reservation until the millisecond its bucket covers the head job', () => {
    const d = smallNetwork({ workers: [{ models: [MODEL_A], slots: 4 }] });
    const s = fundAndReserve(d);
    d.at(1_000).run(dedicatedJob(s, 1, 600n)); // job 1 takes the whole bucket
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([1]);
    d.run(dedicatedJob(s, 1, 10n)); // job 2 needs 10,000 milli-CU: 1,000 ms of refill
    expect(d.run({ type: 'dispatch' })).toEqual([]);
    expect(d.state.dedicatedNotBeforeMs.get(1)).toBe(2_000);
    expect(d.at(1_999).run({ type: 'dispatch' })).toEqual([]);
    expect(dispatched(d.at(2_000).run({ type: 'dispatch' }))).toEqual([2]);
    expect(d.state.dedicatedNotBeforeMs.size).toBe(0);
    expect(d.state.dedicatedWaiting).toEqual([]);
  });

  it('looks again at once when the head job it waited for expires', () => {
    const d = smallNetwork({ workers: [{ models: [MODEL_A], slots: 4 }] });
    const s = fundAndReserve(d);
    d.run(dedicatedJob(s, 1, 600n)); // job 1 empties the bucket
    d.run({ type: 'dispatch' });
    d.run({ ...dedicatedJob(s, 1, 500n), deadlineMs: 1_000 }); // job 2: covered after 50 s
    d.run(dedicatedJob(s, 1, 1n)); // job 3: covered after 100 ms
    expect(d.run({ type: 'dispatch' })).toEqual([]);
    expect(d.state.dedicatedNotBeforeMs.get(1)).toBe(50_000);
    d.at(1_001).run({ type: 'expireJobs' }); // job 2 expires
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([3]);
  });

  it('looks again at once when a lease puts a job back at the front of its queue', () => {
    const d = smallNetwork({ workers: [{ models: [MODEL_A], slots: 4 }] });
    const s = fundAndReserve(d);
    d.run(dedicatedJob(s, 1, 300n)); // job 1, leased below
    d.run(dedicatedJob(s, 1, 300n)); // job 2, dispatched
    d.run({ type: 'leaseJob', models: [MODEL_A], leaseUntilMs: 1_000 });
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([2]);
    d.run(dedicatedJob(s, 1, 500n)); // job 3: covered after 50 s
    expect(d.run({ type: 'dispatch' })).toEqual([]);
    expect(d.state.dedicatedNotBeforeMs.get(1)).toBe(50_000);
    // The lease runs out: job 1 is first again and its 300 CU are back in the bucket.
    d.at(1_001).run({ type: 'expireJobs' });
    expect(d.state.dedicatedNotBeforeMs.has(1)).toBe(false);
    expect(dispatched(d.run({ type: 'dispatch' }))).toEqual([1]);
  });

  it('KYC: a worker is attested while its attestation has not lapsed, always without KYC', () => {
    const d = smallNetwork();
    expect(attested(d.state, 1_000, 999)).toBe(true);
    expect(attested(d.state, 1_000, 1_000)).toBe(false);
    const open = smallNetwork({ params: { kycRequired: false } });
    expect(attested(open.state, 0, 1_000)).toBe(true);
  });
});
