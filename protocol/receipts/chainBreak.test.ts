import { describe, expect, it } from 'vitest';
import { findChainBreak } from './chainBreak.ts';

// Receipt i links to "L<i-1>"; its own link is "L<i>"; sequence numbers are 0..n-1.
const chain = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    prev: i === 0 ? 'G' : `L${i - 1}`,
    link: `L${i}`,
    seq: i,
  }));
type R = ReturnType<typeof chain>[number];
const check = (rs: R[]) =>
  findChainBreak({
    prevs: rs.map((r) => r.prev),
    links: rs.map((r) => r.link),
    genesis: 'G',
    seqs: rs.map((r) => r.seq),
  });

describe('findChainBreak', () => {
  it('accepts an intact chain', () => expect(check(chain(6))).toBeNull());

  it('names the first bad index and the kind', () => {
    const del = chain(6);
    del.splice(3, 1);
    expect(check(del)).toMatchObject({ index: 3, kind: 'deletion' });
    const ins = chain(6);
    ins.splice(2, 0, { prev: 'X', link: 'Y', seq: 99 });
    expect(check(ins)).toMatchObject({ index: 2, kind: 'insertion' });
    const forged = chain(6);
    forged.splice(2, 0, { prev: 'L1', link: 'Y', seq: 2 });
    expect(check(forged)).toMatchObject({ index: 2, kind: 'insertion' });
    const dup = chain(6);
    dup.splice(4, 0, { ...dup[1]! });
    expect(check(dup)).toMatchObject({ index: 4, kind: 'insertion' });
    const swap = chain(6);
    [swap[2], swap[3]] = [swap[3]!, swap[2]!];
    expect(check(swap)).toMatchObject({ index: 2, kind: 'reorder' });
    const mut = chain(6);
    mut[3] = { ...mut[3]!, link: 'L3-changed' };
    expect(check(mut)).toMatchObject({ index: 3, kind: 'mutation' });
    expect(check(chain(6).slice(2))).toMatchObject({ index: 0, kind: 'deletion' });
  });

  // Written for surviving mutants (docs/auditing.md): every branch, with its exact reason.
  it('says why, for each kind of break', () => {
    const dup = chain(6);
    dup.splice(4, 0, { ...dup[1]! });
    expect(check(dup)).toEqual({
      index: 4,
      kind: 'insertion',
      reason: 'receipt 4 duplicates receipt 1',
    });
    const swap = chain(6);
    [swap[2], swap[3]] = [swap[3]!, swap[2]!];
    expect(check(swap)).toEqual({
      index: 2,
      kind: 'reorder',
      reason: 'receipt 2 links to receipt 3, which comes after it',
    });
    const stepped = chain(6);
    stepped.splice(2, 0, { prev: 'X', link: 'Y', seq: 99 });
    expect(check(stepped)).toEqual({
      index: 2,
      kind: 'insertion',
      reason: 'receipt 3 links past receipt 2 to its predecessor',
    });
    // Receipts 2 and 4 both link to receipt 1: 2..3 are a side branch.
    const forked = chain(4);
    forked.splice(2, 0, { prev: 'L1', link: 'Y', seq: 2 }, { prev: 'Y', link: 'Z', seq: 3 });
    expect(check(forked)).toEqual({
      index: 2,
      kind: 'insertion',
      reason: 'receipts 2 and 4 both link to receipt 1; 2..3 are not in the chain',
    });
    const mut = chain(6);
    mut[3] = { ...mut[3]!, link: 'L3-changed' };
    expect(check(mut)).toEqual({
      index: 3,
      kind: 'mutation',
      reason: 'receipt 4 links to a receipt 3 that differs from the one in the file',
    });
    const first = chain(3);
    first[0] = { ...first[0]!, prev: 'other' };
    expect(check(first)).toEqual({
      index: 0,
      kind: 'mutation',
      reason: 'receipt 0 (sequence 0) does not link to genesis',
    });
    expect(check(chain(6).slice(2))).toEqual({
      index: 0,
      kind: 'deletion',
      reason: 'receipt(s) missing before receipt 0: starts at sequence 2',
    });
    const del = chain(6);
    del.splice(3, 1);
    expect(check(del)).toEqual({
      index: 3,
      kind: 'deletion',
      reason: 'receipt(s) missing before receipt 3: sequence jumps from 2 to 4',
    });
    // The last receipt changed: nothing links to it, so the chain still holds.
    const last = chain(3);
    last[2] = { ...last[2]!, link: 'changed' };
    expect(check(last)).toBeNull();
    expect(check([])).toBeNull();
    expect(() => findChainBreak({ prevs: ['G'], links: [], genesis: 'G', seqs: [] })).toThrow(
      'findChainBreak: 1 prevs, 0 links, 0 seqs',
    );
    expect(() => findChainBreak({ prevs: ['G'], links: ['L0'], genesis: 'G', seqs: [] })).toThrow(
      RangeError,
    );
  });
});
