import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dequeNew, dequePeek, dequePush, dequeShift, dequeSize, dequeToArray } from './deque.ts';
import { heapPeekAt, heapPop, heapPush, type TimeHeap } from './heap.ts';

// Written for surviving mutants (docs/auditing.md): the deadline heap and the FIFO queues
// against plain-array models.
const seed = Number(process.env.ONESIM_FC_SEED ?? 20261121);

describe('deadline heap', () => {
  it('pops (atMs, id) pairs in order, ties by the smaller id, whatever the push order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1_000 })), {
          maxLength: 60,
        }),
        fc.array(fc.boolean(), { maxLength: 120 }),
        (pairs, pops) => {
          const h: TimeHeap = { atMs: [], jobIds: [] };
          const model: Array<[number, number]> = [];
          const order = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
          let next = 0;
          for (const pop of pops) {
            if (pop || next >= pairs.length) {
              model.sort(order);
              const want = model.shift();
              expect(heapPeekAt(h)).toBe(want?.[0]);
              expect(heapPop(h)).toBe(want?.[1]);
            } else {
              const [at, id] = pairs[next++]!;
              heapPush(h, at, id);
              model.push([at, id]);
            }
            expect(h.atMs.length).toBe(model.length);
          }
          model.sort(order);
          for (const [at, id] of model) {
            expect(heapPeekAt(h)).toBe(at);
            expect(heapPop(h)).toBe(id);
          }
          expect(heapPop(h)).toBeUndefined();
          expect(heapPeekAt(h)).toBeUndefined();
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});

describe('deque', () => {
  it('behaves as an array queue, also across compaction', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }), (ops) => {
        const d = dequeNew<number>();
        const model: number[] = [];
        let n = 0;
        for (const op of ops) {
          if (op === 0) {
            expect(dequeShift(d)).toBe(model.shift());
          } else {
            // Bursts of pushes and shifts, so the head passes the compaction threshold.
            for (let i = 0; i < op * 400; i++) {
              dequePush(d, n);
              model.push(n++);
            }
            for (let i = 0; i < op * 300; i++) expect(dequeShift(d)).toBe(model.shift());
          }
          expect(dequeSize(d)).toBe(model.length);
          expect(dequePeek(d)).toBe(model[0]);
          expect(dequeToArray(d)).toEqual(model);
          expect(d.items.length - d.head).toBe(model.length);
          expect(d.head < 1024 || d.head * 2 < d.items.length).toBe(true);
        }
      }),
      { seed, numRuns: 20 },
    );
    const d = dequeNew<string>();
    expect([dequeShift(d), dequePeek(d), dequeSize(d), dequeToArray(d)]).toEqual([
      undefined,
      undefined,
      0,
      [],
    ]);
    // The layout is state (it is hashed): compaction happens exactly when the head reaches
    // 1,024 and at least half of the array.
    const c = dequeNew<number>();
    for (let i = 0; i < 2_049; i++) dequePush(c, i);
    for (let i = 0; i < 1_023; i++) dequeShift(c);
    expect([c.head, c.items.length]).toEqual([1_023, 2_049]);
    dequeShift(c); // head 1,024, but 2,048 < 2,049
    expect([c.head, c.items.length]).toEqual([1_024, 2_049]);
    dequeShift(c); // head 1,025: 2,050 ≥ 2,049
    expect([c.head, c.items.length, dequePeek(c)]).toEqual([0, 1_024, 1_025]);
    const e = dequeNew<number>();
    for (let i = 0; i < 2_048; i++) dequePush(e, i);
    for (let i = 0; i < 1_024; i++) dequeShift(e); // 1,024 · 2 = 2,048: compacted at once
    expect([e.head, e.items.length]).toEqual([0, 1_024]);
    const small = dequeNew<number>();
    dequePush(small, 1);
    dequePush(small, 2);
    dequeShift(small); // a short queue is never compacted
    expect([small.head, small.items]).toEqual([1, [1, 2]]);
  });
});
