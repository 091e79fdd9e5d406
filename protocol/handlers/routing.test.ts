import { describe, expect, it } from 'vitest';
import { MODEL_A, MODEL_B, smallNetwork, workerAddr } from '../testing/network.ts';
import { isRoutable, pickWorker, refreshWorkerIndex, removeFromIndex } from './routing.ts';

// Written for surviving mutants (docs/auditing.md): which free worker routing picks (exact
// reliability × availability, ties to the rotation order), the scan limit, the rotation, and
// lapsed attestations.
const w = (i: number) => workerAddr(i);

function network(n: number, params: object = {}) {
  const d = smallNetwork({
    params,
    workers: Array.from({ length: n }, () => ({ models: [MODEL_A], slots: 1 })),
  });
  return d;
}
const record = (
  d: ReturnType<typeof network>,
  i: number,
  served: number,
  failed: number,
  score = 255,
) => Object.assign(d.state.workers.get(w(i))!, { served, failed, availabilityScore: score });
const order = (d: ReturnType<typeof network>) => [...d.state.freeWorkers.get(MODEL_A)!];

describe('routing', () => {
  it('picks the most reliable free worker; a new worker counts as fully reliable; ties go to rotation order', () => {
    const d = network(3);
    record(d, 0, 9, 1); // 0.9
    record(d, 1, 3, 1); // 0.75
    record(d, 2, 0, 0); // new: 1
    expect(pickWorker(d.state, MODEL_A, 0)!.address).toBe(w(2));
    expect(order(d)).toEqual([w(0), w(1), w(2)]);
    record(d, 2, 1, 1); // 0.5
    expect(pickWorker(d.state, MODEL_A, 0)!.address).toBe(w(0));
    expect(order(d)).toEqual([w(1), w(2), w(0)]); // the chosen one goes to the back
    record(d, 1, 9, 1); // ties with worker 0 at 0.9: the first in rotation wins
    expect(pickWorker(d.state, MODEL_A, 0)!.address).toBe(w(1));
    record(d, 0, 18, 2);
    record(d, 2, 18, 1); // 18/19 > 9/10
    expect(pickWorker(d.state, MODEL_A, 0)!.address).toBe(w(2));
  });

  it('weighs by availability score when asked, exactly; ignores it otherwise', () => {
    const d = network(2);
    record(d, 0, 1, 0, 200);
    record(d, 1, 9, 1, 255); // 0.9 × 255 = 229.5 > 200
    expect(pickWorker(d.state, MODEL_A, 0)!.address).toBe(w(1));
    record(d, 0, 1, 0, 240); // 240 > 229.5
    expect(pickWorker(d.state, MODEL_A, 0)!.address).toBe(w(0));
    const off = network(2, { availabilityWeighting: false });
    record(off, 0, 1, 0, 130);
    record(off, 1, 9, 1, 255);
    expect(pickWorker(off.state, MODEL_A, 0)!.address).toBe(w(0));
  });

  it('rotates round-robin among equals for hundreds of picks (the free set is rebuilt along the way, same members and order)', () => {
    const d = network(5);
    const picked: string[] = [];
    for (let i = 0; i < 400; i++) picked.push(pickWorker(d.state, MODEL_A, 0)!.address);
    expect(picked).toEqual(Array.from({ length: 400 }, (_, i) => w(i % 5)));
    expect(order(d)).toEqual([0, 1, 2, 3, 4].map(w));
    // A worker leaving the index still leaves the set the state holds after a rebuild.
    d.state.workers.get(w(2))!.online = false;
    refreshWorkerIndex(d.state, d.state.workers.get(w(2))!);
    for (let i = 0; i < 200; i++) expect(pickWorker(d.state, MODEL_A, 0)!.address).not.toBe(w(2));
    expect(order(d)).toEqual([0, 1, 3, 4].map(w));
  });

  it('scans only the first routingScanMax free workers', () => {
    const d = network(3, { routingScanMax: 2 });
    record(d, 0, 1, 1);
    record(d, 1, 1, 1);
    record(d, 2, 0, 0); // best, but third in rotation
    expect(pickWorker(d.state, MODEL_A, 0)!.address).toBe(w(0));
    const all = network(3, { routingScanMax: 3 });
    record(all, 0, 1, 1);
    record(all, 1, 1, 1);
    expect(pickWorker(all.state, MODEL_A, 0)!.address).toBe(w(2));
  });

  it('drops workers whose attestation lapsed (at the expiry instant), and finds none when no one is free', () => {
    const d = network(2);
    d.state.workers.get(w(0))!.attestationExpiresAtMs = 1_000;
    expect(pickWorker(d.state, MODEL_A, 999)!.address).toBe(w(0));
    expect(pickWorker(d.state, MODEL_A, 1_000)!.address).toBe(w(1));
    expect(order(d)).toEqual([w(1)]);
    expect(pickWorker(d.state, MODEL_B, 0)).toBeNull();
    d.state.freeWorkers.get(MODEL_A)!.clear();
    expect(pickWorker(d.state, MODEL_A, 0)).toBeNull();
  });

  it('routable: active, not jailed, online, bonded, available and (with KYC) attested', () => {
    const d = network(1, { availabilityMinScore: 100 });
    const worker = d.state.workers.get(w(0))!;
    expect(isRoutable(d.state, worker)).toBe(true);
    const not = (change: object) =>
      expect(isRoutable(d.state, { ...worker, ...change }), Object.keys(change).join()).toBe(false);
    not({ status: 'exiting' });
    not({ jailed: true });
    not({ online: false });
    not({ bondMicroUsdc: d.params.workerBondMinMicroUsdc - 1n });
    not({ availabilityScore: 99 });
    not({ attestationExpiresAtMs: 0 });
    expect(
      isRoutable(d.state, {
        ...worker,
        availabilityScore: 100,
        bondMicroUsdc: d.params.workerBondMinMicroUsdc,
      }),
    ).toBe(true);
    const open = network(1, { kycRequired: false });
    expect(
      isRoutable(open.state, { ...open.state.workers.get(w(0))!, attestationExpiresAtMs: 0 }),
    ).toBe(true);
  });

  it('the index follows a worker’s slots and models; removal tolerates a model with no index', () => {
    const d = smallNetwork({ workers: [{ models: [MODEL_A, MODEL_B], slots: 2 }] });
    const worker = d.state.workers.get(w(0))!;
    worker.activeJobs = 2;
    refreshWorkerIndex(d.state, worker);
    expect([
      d.state.freeWorkers.get(MODEL_A)!.has(w(0)),
      d.state.freeWorkers.get(MODEL_B)!.has(w(0)),
    ]).toEqual([false, false]);
    worker.activeJobs = 1;
    refreshWorkerIndex(d.state, worker);
    expect([
      d.state.freeWorkers.get(MODEL_A)!.has(w(0)),
      d.state.freeWorkers.get(MODEL_B)!.has(w(0)),
    ]).toEqual([true, true]);
    d.state.freeWorkers.delete(MODEL_B);
    removeFromIndex(d.state, worker);
    expect(d.state.freeWorkers.get(MODEL_A)!.has(w(0))).toBe(false);
  });
});
