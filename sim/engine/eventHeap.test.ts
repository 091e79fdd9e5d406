import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHeap } from './eventHeap.ts';

function drain(heap: EventHeap): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  while (heap.size > 0) {
    out.push([heap.timeMs[0]!, heap.seq[0]!, heap.kind[0]!, heap.payload[0]!]);
    heap.removeTop();
  }
  return out;
}

describe('EventHeap', () => {
  it('pops in (time, seq) order, ties broken by seq not by insertion position', () => {
    const heap = new EventHeap({ capacityInitial: 2, capacityMax: 100 });
    // Same time, seqs pushed out of order: seq decides.
    heap.push(5, 3, 1, 30);
    heap.push(5, 1, 1, 10);
    heap.push(2, 7, 2, 70);
    heap.push(5, 2, 1, 20);
    heap.push(9, 0, 3, 0);
    expect(drain(heap)).toEqual([
      [2, 7, 2, 70],
      [5, 1, 1, 10],
      [5, 2, 1, 20],
      [5, 3, 1, 30],
      [9, 0, 3, 0],
    ]);
  });

  it('matches a sorted reference for arbitrary interleavings of push and pop', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300 }),
        (ops) => {
          const heap = new EventHeap({ capacityInitial: 1, capacityMax: 1000 });
          const reference: Array<[number, number]> = [];
          let seq = 0;
          for (const op of ops) {
            if (op >= 0) {
              heap.push(op, seq, 0, seq);
              reference.push([op, seq]);
              seq++;
            } else if (reference.length > 0) {
              reference.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
              const [timeMs, s] = reference.shift()!;
              expect([heap.timeMs[0], heap.seq[0], heap.payload[0]]).toEqual([timeMs, s, s]);
              heap.removeTop();
            }
          }
          reference.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          expect(drain(heap).map(([t, s]) => [t, s])).toEqual(reference);
        },
      ),
      { seed: 20240601, numRuns: 200 },
    );
  });
});
