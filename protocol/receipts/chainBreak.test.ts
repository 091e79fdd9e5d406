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
});
