import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobTable } from './jobTable.ts';
import { defaultParams } from './params.ts';
import { cloneState, createState } from './state.ts';
import { stateHash } from './stateHash.ts';
import type { Job } from './types.ts';

// The reference is the JavaScript Map itself: after every operation of a random sequence the
// table must show the same size, lookups and iteration order, and iterators opened along the way
// must yield what a Map's live iterators yield.
const seed = Number(process.env.ONESIM_FC_SEED ?? 20261207);

type Op =
  | { t: 'push'; n: number }
  | { t: 'set'; k: number }
  | { t: 'setUndefined'; k: number }
  | { t: 'replace'; pick: number }
  | { t: 'del'; pick: number }
  | { t: 'delKey'; k: number }
  | { t: 'delFront'; n: number }
  | { t: 'clear' }
  | { t: 'iter'; kind: 0 | 1 | 2 }
  | { t: 'step'; n: number };

const key = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.constantFrom(1.5, Number.NaN, -0, 2 ** 53, 1e9),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('push' as const),
      n: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3_000 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('set' as const), k: key }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('setUndefined' as const), k: key }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('replace' as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('del' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delKey' as const), k: key }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('delFront' as const),
      n: fc.integer({ min: 1, max: 3_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'clear' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('iter' as const),
      kind: fc.constantFrom(0 as const, 1 as const, 2 as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('step' as const),
      n: fc.integer({ min: 1, max: 2_000 }),
    }),
  },
);

const iterOf = (m: Map<number, Job>, kind: 0 | 1 | 2): Iterator<unknown> =>
  kind === 0 ? m.keys() : kind === 1 ? m.values() : m.entries();

function sameAsMap(t: JobTable, m: Map<number, Job>, probe: number[]): void {
  expect(t.size).toBe(m.size);
  expect([...t]).toEqual([...m]);
  for (const k of probe) {
    expect(t.get(k)).toBe(m.get(k));
    expect(t.has(k)).toBe(m.has(k));
  }
}

describe('JobTable', () => {
  it('behaves as a Map under random insertions, deletions, clears and live iterators', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 40 }),
        fc.integer({ min: -5, max: 100 }),
        (ops, start) => {
          const t = new JobTable();
          const m = new Map<number, Job>();
          let next = start;
          let tag = 0;
          const job = () => ({ tag: tag++ }) as unknown as Job;
          const iters: Array<{
            t: Iterator<unknown>;
            m: Iterator<unknown>;
            mayThrow: boolean;
            done?: boolean;
          }> = [];
          const both = (f: (x: Map<number, Job>) => unknown) => {
            const a = f(t);
            const b = f(m);
            expect(a).toEqual(b);
          };
          for (const o of ops) {
            const wasArray = t.arrayBacked;
            const present = [...m.keys()];
            switch (o.t) {
              case 'push':
                for (let i = 0; i < o.n; i++) {
                  const j = job();
                  t.set(next, j);
                  m.set(next, j);
                  next += 1;
                }
                break;
              case 'set': {
                const j = job();
                t.set(o.k, j);
                m.set(o.k, j);
                if (Number.isInteger(o.k) && o.k >= next) next = o.k + 1;
                break;
              }
              case 'setUndefined':
                t.set(o.k, undefined as unknown as Job);
                m.set(o.k, undefined as unknown as Job);
                break;
              case 'replace':
                if (present.length > 0) {
                  const k = present[o.pick % present.length]!;
                  const j = job();
                  t.set(k, j);
                  m.set(k, j);
                }
                break;
              case 'del':
                if (present.length > 0) both((x) => x.delete(present[o.pick % present.length]!));
                break;
              case 'delKey':
                both((x) => x.delete(o.k));
                break;
              case 'delFront':
                for (const k of present.slice(0, o.n)) both((x) => x.delete(k));
                break;
              case 'clear':
                t.clear();
                m.clear();
                break;
              case 'iter':
                iters.push({ t: iterOf(t, o.kind), m: iterOf(m, o.kind), mayThrow: t.arrayBacked });
                break;
              case 'step':
                for (const it of iters)
                  for (let i = 0; i < o.n; i++) {
                    const want = it.m.next();
                    expect(it.t.next()).toEqual(want);
                    if (want.done) {
                      it.done = true; // finished iterators stay finished, as a Map's do
                      break;
                    }
                  }
                break;
            }
            // An iterator over the array stops, loudly, once the entries move to the Map.
            if (wasArray && !t.arrayBacked)
              for (const it of iters.splice(0))
                if (it.mayThrow && !it.done) expect(() => it.t.next()).toThrow(/out of id order/);
            sameAsMap(t, m, [
              ...present.slice(0, 5),
              ...present.slice(-5),
              next,
              next - 1,
              1.5,
              -1,
            ]);
          }
          const seen: unknown[] = [];
          t.forEach(function (this: unknown, v, k, self) {
            seen.push([k, v, self === t, this]);
          }, 'this');
          expect(seen).toEqual([...m].map(([k, v]) => [k, v, true, 'this']));
          expect([...t.keys()]).toEqual([...m.keys()]);
          expect([...t.values()]).toEqual([...m.values()]);
        },
      ),
      { seed, numRuns: 300 },
    );
  });

  it('stays in its array for ids inserted in increasing order and deleted in any order', () => {
    const t = new JobTable();
    const m = new Map<number, Job>();
    const it = t.entries();
    const mit = m.entries();
    for (let id = 1; id <= 20_000; id++) {
      const j = { id } as unknown as Job;
      t.set(id, j);
      m.set(id, j);
      // A sliding window, settled out of order: the front is dropped and compacted many times.
      if (id > 500) {
        const gone = id % 3 === 0 ? id - 500 : id - 499 + (id % 7);
        expect(t.delete(gone)).toBe(m.delete(gone));
      }
      if (id % 97 === 0) expect(it.next()).toEqual(mit.next());
    }
    expect(t.arrayBacked).toBe(true);
    sameAsMap(t, m, [1, 19_500, 20_000, 20_001]);
    for (let r = it.next(), s = mit.next(); ; r = it.next(), s = mit.next()) {
      expect(r).toEqual(s);
      if (s.done) break;
    }
  });

  it('has unfinished iterators visit what comes after the table empties, at any id, as a Map does', () => {
    for (const empty of ['delete', 'clear'] as const) {
      const t = new JobTable();
      const m = new Map<number, Job>();
      const j = [0, 1, 2, 3, 4].map((id) => ({ id }) as unknown as Job);
      for (const x of [t, m]) for (const id of [2, 3, 4]) x.set(id, j[id]!);
      const its = [t.entries(), m.entries()];
      expect(its.map((it) => it.next().value)).toEqual([
        [2, j[2]],
        [2, j[2]],
      ]);
      for (const x of [t, m]) {
        if (empty === 'clear') x.clear();
        else for (const id of [2, 3, 4]) x.delete(id);
        x.set(0, j[0]!);
        x.set(1, j[1]!);
      }
      expect(its.map((it) => [...{ [Symbol.iterator]: () => it }])).toEqual([
        [
          [0, j[0]],
          [1, j[1]],
        ],
        [
          [0, j[0]],
          [1, j[1]],
        ],
      ]);
    }
  });

  it('is a Map to instanceof, to inspect and to the state hash, and survives cloneState', () => {
    const s = createState(defaultParams());
    expect(s.jobs).toBeInstanceOf(JobTable);
    expect(s.jobs).toBeInstanceOf(Map);
    const j1 = { id: 7, status: 'queued' } as unknown as Job;
    const j2 = { id: 9, status: 'completed' } as unknown as Job;
    s.jobs.set(7, j1);
    s.jobs.set(9, j2);
    expect(inspect(s.jobs)).toBe(
      inspect(
        new Map([
          [7, j1],
          [9, j2],
        ]),
      ),
    );
    const plain = { ...s, jobs: new Map(s.jobs) };
    expect(stateHash(s)).toBe(stateHash(plain));
    const c = cloneState(s);
    expect(c.jobs).toBeInstanceOf(JobTable);
    expect([...c.jobs]).toEqual([...s.jobs]);
    expect(c.jobs.get(9)).not.toBe(j2);
    expect(stateHash(c)).toBe(stateHash(s));
    // Out of order: the entries move to the Map, and the clone keeps that order too.
    s.jobs.set(3, { id: 3 } as unknown as Job);
    expect((s.jobs as JobTable).arrayBacked).toBe(false);
    expect([...cloneState(s).jobs.keys()]).toEqual([7, 9, 3]);
    expect(stateHash(cloneState(s))).toBe(stateHash({ ...s, jobs: new Map(s.jobs) }));
  });
});
