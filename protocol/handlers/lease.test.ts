import { describe, expect, it } from 'vitest';
import type { ProtocolEvent } from '../events.ts';
import { stateHash } from '../stateHash.ts';
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

// The pull side of the market: anonymous workers lease jobs in the scheduler's order and the
// receipt's worker takes them; a lease that runs out puts the job back where it was.
const w0 = workerAddr(0);
const w1 = workerAddr(1);
const leased = (events: ProtocolEvent[]) =>
  events.flatMap((e) => (e.type === 'JobLeased' ? [e.jobId] : []));
const lease = (models = [MODEL_A], leaseUntilMs = 10_000) => ({
  type: 'leaseJob' as const,
  models,
  leaseUntilMs,
});

function network() {
  const d = smallNetwork({
    workers: [
      { models: [MODEL_A], slots: 1 },
      { models: [MODEL_B], slots: 1 },
    ],
  });
  fundAndReserve(d);
  return d;
}

describe('leaseJob', () => {
  it('hands out Dedicated jobs within rate before Included ones, then Included round-robin', () => {
    const d = network();
    d.run(includedJob(holderAddr(0), 1n)); // 1
    d.run(includedJob(holderAddr(0), 1n)); // 2
    d.run(includedJob(holderAddr(1), 1n)); // 3
    d.run(dedicatedJob(sponsorAddr(0), 1, 5n)); // 4
    expect(leased(d.run(lease()))).toEqual([4]);
    expect(leased(d.run(lease()))).toEqual([1]);
    expect(leased(d.run(lease()))).toEqual([3]);
    expect(leased(d.run(lease()))).toEqual([2]);
    expect(d.run(lease())).toEqual([]);
    expect(d.state.jobs.get(4)!.status).toBe('leased');
    expect(d.state.jobs.get(4)!.worker).toBeNull();
  });

  it('skips holders whose jobs all ended, dropping them from the rotation as dispatch does', () => {
    const d = smallNetwork({ holderStakesOne: [2_500n, 2_500n, 2_500n, 2_500n] });
    d.run({ ...includedJob(holderAddr(0), 1n), deadlineMs: 100 }); // 1 expires
    d.run({ ...includedJob(holderAddr(1), 1n), deadlineMs: 100 }); // 2 expires
    d.run(includedJob(holderAddr(2), 1n)); // 3
    d.run(includedJob(holderAddr(3), 1n)); // 4
    d.run(includedJob(holderAddr(3), 1n)); // 5
    d.at(101).run({ type: 'expireJobs' });
    const consistent = () => {
      const q = d.state.includedQueues.get(MODEL_A);
      if (!q) return true;
      const inRotation = q.holders.items.slice(q.holders.head);
      return (
        new Set(inRotation).size === inRotation.length &&
        inRotation.length === q.perHolder.size &&
        inRotation.every((h) => q.perHolder.has(h))
      );
    };
    expect(leased(d.run(lease()))).toEqual([3]);
    expect(consistent()).toBe(true);
    expect(leased(d.run(lease()))).toEqual([4]);
    expect(consistent()).toBe(true);
    // Dispatch still works on what the leases left.
    expect(d.run({ type: 'dispatch' })).toMatchObject([{ type: 'JobDispatched', jobId: 5 }]);
    expect(d.state.includedQueues.size).toBe(0);
  });

  it('leases only the polled models, and changes nothing when nothing is there', () => {
    const d = network();
    d.run(includedJob(holderAddr(0), 1n, MODEL_B)); // 1
    const before = stateHash(d.state);
    const r = d.attempt(lease([MODEL_A]));
    expect(r).toEqual({ ok: true, events: [] });
    expect(stateHash(d.state)).toBe(before);
    expect(leased(d.run(lease([MODEL_A, MODEL_B])))).toEqual([1]);
  });

  it('waits for the bucket: a Dedicated job beyond the rate is not leased until tokens refill', () => {
    const d = network();
    // 10 CU/s with the default burst: the bucket holds rate × burst.
    const capCu = 10n * BigInt(d.params.dedicatedBurstMs / 1000);
    d.run(dedicatedJob(sponsorAddr(0), 1, capCu)); // 1 empties the bucket
    d.run(dedicatedJob(sponsorAddr(0), 1, 10n)); // 2 needs 1 s more
    expect(leased(d.run(lease()))).toEqual([1]);
    expect(d.run(lease())).toEqual([]);
    expect(leased(d.at(1_000).run(lease([MODEL_A], 20_000)))).toEqual([2]);
  });

  it('binds the job to the receipt’s worker, which must serve the model and be registered', () => {
    const d = network();
    d.run(includedJob(holderAddr(0), 3n)); // 1
    d.run(lease());
    const wrong = d.receiptFor(1, undefined, w1);
    const r1 = d.attempt({ type: 'completeJob', receipt: wrong, signature: '0x00' });
    expect(r1.ok === false && r1.code).toBe('WrongWorker');
    const stranger = d.receiptFor(1, undefined, workerAddr(7));
    const r2 = d.attempt({ type: 'completeJob', receipt: stranger, signature: '0x00' });
    expect(r2.ok === false && r2.code).toBe('UnknownWorker');
    d.run({ type: 'setWorkerOnline', worker: w0, online: false });
    const offline = d.receiptFor(1, undefined, w0);
    const r3 = d.attempt({ type: 'completeJob', receipt: offline, signature: '0x00' });
    expect(r3.ok === false && r3.code).toBe('WorkerNotActive');
    d.run({ type: 'setWorkerOnline', worker: w0, online: true });
    const events = d.at(100).complete(1, undefined, w0);
    expect(events.find((e) => e.type === 'JobCompleted')).toMatchObject({ jobId: 1, worker: w0 });
    const job = d.state.jobs.get(1)!;
    expect(job.worker).toBe(w0);
    expect(job.leaseUntilMs).toBeUndefined();
    expect(d.state.workers.get(w0)!.served).toBe(1);
    expect(d.state.workers.get(w0)!.activeJobs).toBe(0);
    expect(d.state.holders.get(holderAddr(0))!.usedCu).toBe(3n);
  });

  it('refuses a result after the lease, and puts the job back at the front of its queue', () => {
    const d = network();
    d.run(includedJob(holderAddr(0), 1n)); // 1
    d.run(includedJob(holderAddr(0), 1n)); // 2
    d.run(lease([MODEL_A], 500));
    const late = d.at(501).receiptFor(1, undefined, w0);
    const r = d.attempt({ type: 'completeJob', receipt: late, signature: '0x00' });
    expect(r.ok === false && r.code).toBe('LeaseExpired');
    const ended = d.run({ type: 'expireJobs' });
    expect(ended).toEqual([{ type: 'JobLeaseEnded', jobId: 1, lane: 0 }]);
    expect(d.state.jobs.get(1)!.status).toBe('queued');
    expect(leased(d.run(lease([MODEL_A], 5_000)))).toEqual([1]);
    d.at(600).complete(1, undefined, w0);
    expect(leased(d.run(lease([MODEL_A], 5_000)))).toEqual([2]);
  });

  it('gives a lapsed Dedicated lease its tokens back and keeps it ahead of Included work', () => {
    const d = network();
    const capCu = 10n * BigInt(d.params.dedicatedBurstMs / 1000);
    d.run(dedicatedJob(sponsorAddr(0), 1, capCu)); // 1
    d.run(includedJob(holderAddr(0), 1n)); // 2
    d.run(lease([MODEL_A], 100));
    d.at(101).run({ type: 'expireJobs' });
    expect(d.state.dedicatedWaiting).toEqual([1]);
    expect(leased(d.run(lease([MODEL_A], 5_000)))).toEqual([1]);
    expect(leased(d.run(lease([MODEL_A], 5_000)))).toEqual([2]);
  });

  it('a leased job past its deadline expires, refunded, against no worker', () => {
    const d = network();
    d.run({ ...includedJob(holderAddr(0), 4n), deadlineMs: 1_000 }); // 1
    d.run(lease([MODEL_A], 60_000));
    expect(d.state.jobs.get(1)!.leaseUntilMs).toBe(1_000);
    const events = d.at(1_001).run({ type: 'expireJobs' });
    expect(events).toEqual([{ type: 'JobExpired', jobId: 1, lane: 0, worker: null, refunded: 4n }]);
    expect(d.state.holders.get(holderAddr(0))!.reservedCu).toBe(0n);
    expect(d.state.workers.get(w0)!.failed).toBe(0);
  });

  it('rejects malformed leases', () => {
    const d = network();
    for (const [a, code] of [
      [lease([]), 'InvalidAction'],
      [lease(['0x12']), 'InvalidAction'],
      [lease([MODEL_A], 0), 'InvalidAction'],
      [lease([MODEL_A], 1.5), 'InvalidAction'],
    ] as const) {
      const r = d.attempt(a as never);
      expect(r.ok === false && r.code, JSON.stringify(a)).toBe(code);
    }
  });
});
