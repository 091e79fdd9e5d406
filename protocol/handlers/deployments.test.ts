import { describe, expect, it } from 'vitest';
import { checkDeploymentStep, replicasAgree } from '../invariants/deployments.ts';
import type { InvariantViolation } from '../invariants/stateInvariants.ts';
import { addr, modelId, simAttestationFor } from '../testing/fixtures.ts';
import { holderAddr, includedJob, MODEL_A, smallNetwork, workerAddr } from '../testing/network.ts';
import type { Address } from '../types.ts';
import { deploymentsMax, placementRank } from './deployments.ts';

const GB = 1_000_000_000;
const OWNER = addr(7, 5);
const w = (i: number) => workerAddr(i);

/** n workers of 16 GB serving MODEL_A (one slot each), in region "eu" with tag "gpu" when asked. */
function fleet(
  n: number,
  each: (i: number) => { memoryBytes?: number; region?: string; tags?: string[] } = () => ({
    memoryBytes: 16 * GB,
  }),
) {
  return smallNetwork({
    workers: Array.from({ length: n }, (_, i) => ({ models: [MODEL_A], slots: 1, ...each(i) })),
  });
}
type Net = ReturnType<typeof fleet>;
const deploy = (d: Net, extra: object = {}) =>
  d.run({
    type: 'deployModel',
    owner: OWNER,
    model: MODEL_A,
    sizeBytes: 10 * GB,
    replicas: 2,
    ...extra,
  });
const holders = (d: Net): Array<[Address, boolean]> => [
  ...d.state.deployments!.get(MODEL_A)!.holders,
];
/** The workers in the order placement prefers them for MODEL_A. */
const ranked = (n: number) =>
  Array.from({ length: n }, (_, i) => w(i)).sort(
    (a, b) => placementRank(MODEL_A, a) - placementRank(MODEL_A, b),
  );

describe('deployments: actions and typed rejections', () => {
  it('refuses bad deployments with InvalidDeployment, naming the field, and changes nothing', () => {
    const d = fleet(2);
    const cases: Array<[object, string]> = [
      [{ model: '0x12' }, 'model'],
      [{ sizeBytes: 0 }, 'sizeBytes'],
      [{ sizeBytes: 1.5 }, 'sizeBytes'],
      [{ replicas: 0 }, 'replicas'],
      [{ replicas: 65 }, 'replicas'],
      [{ minMemoryBytes: -1 }, 'minMemoryBytes'],
      [{ region: 'EU West' }, 'region'],
      [{ tag: '' }, 'tag'],
    ];
    for (const [change, field] of cases) {
      const r = d.attempt({
        type: 'deployModel',
        owner: OWNER,
        model: MODEL_A,
        sizeBytes: GB,
        replicas: 1,
        ...change,
      });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('InvalidDeployment');
        expect(r.message).toContain(field);
      }
    }
    expect(d.state.deployments).toBeUndefined();
  });

  it('refuses a deployment beyond deploymentsMax (InvalidDeployment)', () => {
    const d = fleet(1);
    for (let i = 0; i < deploymentsMax; i++)
      d.run({
        type: 'deployModel',
        owner: OWNER,
        model: modelId(`m${i}`),
        sizeBytes: 1,
        replicas: 1,
      });
    const r = d.attempt({
      type: 'deployModel',
      owner: OWNER,
      model: modelId('one too many'),
      sizeBytes: 1,
      replicas: 1,
    });
    expect(r.ok ? 'ok' : `${r.code}: ${r.message}`).toBe(
      `InvalidDeployment: at most ${deploymentsMax} deployments at once`,
    );
  });

  it('DeploymentExists, UnknownDeployment, NotDeploymentOwner, ReplicaNotPlaced, ReplicaAlreadyReady', () => {
    const d = fleet(3);
    deploy(d);
    const code = (a: Parameters<Net['attempt']>[0]) => {
      const r = d.attempt(a);
      return r.ok ? 'ok' : r.code;
    };
    expect(
      code({ type: 'deployModel', owner: OWNER, model: MODEL_A, sizeBytes: 1, replicas: 1 }),
    ).toBe('DeploymentExists');
    const other = modelId('other');
    expect(code({ type: 'scaleDeployment', owner: OWNER, model: other, replicas: 1 })).toBe(
      'UnknownDeployment',
    );
    expect(code({ type: 'removeDeployment', owner: OWNER, model: other })).toBe(
      'UnknownDeployment',
    );
    expect(code({ type: 'replicaReady', worker: w(0), model: other })).toBe('UnknownDeployment');
    expect(code({ type: 'scaleDeployment', owner: w(0), model: MODEL_A, replicas: 1 })).toBe(
      'NotDeploymentOwner',
    );
    expect(code({ type: 'removeDeployment', owner: w(0), model: MODEL_A })).toBe(
      'NotDeploymentOwner',
    );
    expect(code({ type: 'scaleDeployment', owner: OWNER, model: MODEL_A, replicas: 0 })).toBe(
      'InvalidDeployment',
    );
    const [placed] = holders(d)[0]!;
    const unplaced = [w(0), w(1), w(2)].find((x) => !holders(d).some(([h]) => h === x))!;
    expect(code({ type: 'replicaReady', worker: unplaced, model: MODEL_A })).toBe(
      'ReplicaNotPlaced',
    );
    expect(code({ type: 'replicaReady', worker: placed, model: MODEL_A })).toBe('ok');
    expect(code({ type: 'replicaReady', worker: placed, model: MODEL_A })).toBe(
      'ReplicaAlreadyReady',
    );
  });

  it('refuses bad worker memory, region and tags at registration (InvalidWorkerConfig)', () => {
    const d = fleet(0);
    const bond = d.params.workerBondMinMicroUsdc;
    d.run({ type: 'deposit', account: w(5), asset: 'usdc', amount: bond });
    const base = {
      type: 'registerWorker' as const,
      worker: w(5),
      models: [MODEL_A],
      slots: 1,
      capacityCuPerSec: 10n,
      bondMicroUsdc: bond,
    };
    const cases: Array<[{ memoryBytes?: number; region?: string; tags?: string[] }, string]> = [
      [{ memoryBytes: 0 }, 'memoryBytes'],
      [{ region: 'Europe' }, 'region'],
      [{ tags: ['gpu', 'gpu'] }, 'tags'],
      [{ tags: Array.from({ length: 9 }, (_, i) => `t${i}`) }, 'tags'],
    ];
    for (const [change, field] of cases) {
      const r = d.attempt({ ...base, ...change });
      expect(r.ok ? 'ok' : `${r.code} ${r.message}`).toMatch(
        new RegExp(`^InvalidWorkerConfig .*${field}`),
      );
    }
  });
});

describe('deployments: state without them', () => {
  it('has no deployment keys at all (so state hashes of runs without deployments are unchanged), and none again after the last removal', () => {
    const d = fleet(2, () => ({}));
    expect('deployments' in d.state).toBe(false);
    for (const w of d.state.workers.values())
      for (const k of ['memoryBytes', 'region', 'tags', 'replicas']) expect(k in w).toBe(false);
    const m = fleet(2);
    deploy(m);
    expect(m.state.workers.get(w(0))!.memoryBytes).toBe(16 * GB);
    m.run({ type: 'removeDeployment', owner: OWNER, model: MODEL_A });
    expect('deployments' in m.state).toBe(false);
    for (const x of m.state.workers.values()) expect('replicas' in x).toBe(false);
  });
});

describe('deployments: placement', () => {
  it('places k replicas on the lowest-ranked workers that fit; jobs wait until one is ready, then go only to ready holders', () => {
    const d = fleet(4);
    const events = deploy(d);
    const want = ranked(4).slice(0, 2);
    expect(events.filter((e) => e.type === 'ReplicaPlaced').map((e) => e.worker)).toEqual(want);
    expect(holders(d)).toEqual(want.map((x) => [x, false]));
    // Every worker lists MODEL_A, but none holds a ready replica: the job waits.
    d.run(includedJob(holderAddr(0), 10n));
    expect(d.run({ type: 'dispatch' }).filter((e) => e.type === 'JobDispatched')).toEqual([]);
    d.run({ type: 'replicaReady', worker: want[1]!, model: MODEL_A });
    const sent = d.run({ type: 'dispatch' }).filter((e) => e.type === 'JobDispatched');
    expect(sent.map((e) => e.type === 'JobDispatched' && e.worker)).toEqual([want[1]]);
    // The worker's next job for MODEL_A after completion still only goes to a ready holder.
    d.run(includedJob(holderAddr(0), 10n));
    d.complete(1);
    const next = d.run({ type: 'dispatch' }).filter((e) => e.type === 'JobDispatched');
    expect(next.map((e) => e.type === 'JobDispatched' && e.worker)).toEqual([want[1]]);
  });

  it('respects memory (size beside other replicas, the minimum), region and tag; workers without declared memory host nothing', () => {
    const d = fleet(
      5,
      (i) =>
        [
          {},
          { memoryBytes: 4 * GB, region: 'eu', tags: ['gpu'] },
          { memoryBytes: 16 * GB, region: 'us', tags: ['gpu'] },
          { memoryBytes: 16 * GB, region: 'eu' },
          { memoryBytes: 16 * GB, region: 'eu', tags: ['gpu', 'a100'] },
        ][i]!,
    );
    deploy(d, { sizeBytes: 2 * GB, replicas: 5, region: 'eu', tag: 'gpu', minMemoryBytes: 8 * GB });
    expect(holders(d).map(([x]) => x)).toEqual([w(4)]);
    // Memory already taken by a replica counts: a second model that does not fit beside it.
    const big = modelId('big');
    d.run({ type: 'deployModel', owner: OWNER, model: big, sizeBytes: 15 * GB, replicas: 5 });
    expect([...d.state.deployments!.get(big)!.holders.keys()].sort()).toEqual([w(2), w(3)]);
    expect(d.state.workers.get(w(4))!.replicas).toEqual([MODEL_A]);
  });

  it('scaling up places more; scaling down drops transfers still running first; removal restores routing by listed models', () => {
    const d = fleet(4);
    deploy(d, { replicas: 1 });
    const order = ranked(4);
    d.run({ type: 'replicaReady', worker: order[0]!, model: MODEL_A });
    d.run({ type: 'scaleDeployment', owner: OWNER, model: MODEL_A, replicas: 3 });
    expect(holders(d)).toEqual([
      [order[0], true],
      [order[1], false],
      [order[2], false],
    ]);
    const down = d.run({ type: 'scaleDeployment', owner: OWNER, model: MODEL_A, replicas: 2 });
    expect(down.filter((e) => e.type === 'ReplicaDropped')).toEqual([
      { type: 'ReplicaDropped', model: MODEL_A, worker: order[2], reason: 'scaled' },
    ]);
    d.run({ type: 'scaleDeployment', owner: OWNER, model: MODEL_A, replicas: 1 });
    expect(holders(d)).toEqual([[order[0], true]]);
    d.run({ type: 'removeDeployment', owner: OWNER, model: MODEL_A });
    expect(d.state.deployments).toBeUndefined();
    expect(d.state.workers.get(order[0]!)!.replicas).toBeUndefined();
    expect(new Set(d.state.freeWorkers.get(MODEL_A))).toEqual(new Set(order));
  });
});

describe('deployments: re-placement', () => {
  it('a holder going offline or leaving moves its replica to the next worker in rank; a joining worker fills a shortfall', () => {
    const d = fleet(3);
    deploy(d);
    const order = ranked(3);
    d.run({ type: 'replicaReady', worker: order[0]!, model: MODEL_A });
    const off = d.run({ type: 'setWorkerOnline', worker: order[0]!, online: false });
    expect(off.filter((e) => e.type.startsWith('Replica'))).toEqual([
      { type: 'ReplicaDropped', model: MODEL_A, worker: order[0], reason: 'offline' },
      { type: 'ReplicaPlaced', model: MODEL_A, worker: order[2], sizeBytes: 10 * GB },
    ]);
    expect(holders(d)).toEqual([
      [order[1], false],
      [order[2], false],
    ]);
    // Back online: target met, nothing moves (no rebalancing).
    expect(
      d
        .run({ type: 'setWorkerOnline', worker: order[0]!, online: true })
        .filter((e) => e.type.startsWith('Replica')),
    ).toEqual([]);
    // order[1] leaves: order[0] is the only worker left without a replica.
    const exit = d.run({ type: 'exitWorker', worker: order[1]! });
    expect(exit.filter((e) => e.type.startsWith('Replica')).map((e) => e.type)).toEqual([
      'ReplicaDropped',
      'ReplicaPlaced',
    ]);
    expect(holders(d).map(([x]) => x)).toEqual([order[2], order[0]]);
    // Two of three workers down: under-placed until one joins.
    d.run({ type: 'setWorkerOnline', worker: order[0]!, online: false });
    expect(holders(d).map(([x]) => x)).toEqual([order[2]]);
    const bond = d.params.workerBondMinMicroUsdc;
    d.run({ type: 'deposit', account: w(9), asset: 'usdc', amount: bond });
    const joined = d.run({
      type: 'registerWorker',
      worker: w(9),
      models: [MODEL_A],
      slots: 1,
      capacityCuPerSec: 10n,
      bondMicroUsdc: bond,
      memoryBytes: 16 * GB,
      attestation: simAttestationFor(d.params, w(9)),
    });
    expect(joined.some((e) => e.type === 'ReplicaPlaced' && e.worker === w(9))).toBe(true);
  });

  it('an unnamed worker never leases a deployed model’s job; other models lease as before', () => {
    const d = fleet(1);
    deploy(d, { replicas: 1 });
    d.run(includedJob(holderAddr(0), 10n));
    const leased = d.run({ type: 'leaseJob', models: [MODEL_A], leaseUntilMs: 60_000 });
    expect(leased).toEqual([]);
    expect(d.state.jobs.get(1)!.status).toBe('queued');
  });
});

describe('deployments: invariants', () => {
  it('catch a dispatch to a worker without a ready replica, and replica books that disagree', () => {
    const d = fleet(3);
    deploy(d, { replicas: 1 });
    const [holder] = holders(d)[0]!;
    const stranger = [w(0), w(1), w(2)].find((x) => x !== holder)!;
    const out: InvariantViolation[] = [];
    const dispatched = (worker: Address) => ({
      type: 'JobDispatched' as const,
      jobId: 1,
      lane: 0 as const,
      worker,
      model: MODEL_A,
    });
    checkDeploymentStep({ state: d.state, events: [dispatched(stranger)] }, out);
    checkDeploymentStep({ state: d.state, events: [dispatched(holder)] }, out);
    expect(out.map((v) => v.message)).toEqual([
      expect.stringContaining('not placed'),
      expect.stringContaining('still transferring'),
    ]);
    const books: InvariantViolation[] = [];
    replicasAgree(d.state, books);
    expect(books).toEqual([]);
    d.state.freeWorkers.get(MODEL_A)!.add(stranger);
    d.state.workers.get(stranger)!.replicas = [MODEL_A];
    replicasAgree(d.state, books);
    expect(books.map((v) => v.message)).toEqual([
      expect.stringContaining('without a ready replica'),
      expect.stringContaining('was not placed'),
    ]);
  });
});
