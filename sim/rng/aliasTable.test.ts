import { describe, expect, it } from 'vitest';
import { AliasTable } from './aliasTable.ts';
import { createRng } from './createRng.ts';

describe('AliasTable', () => {
  it('draws indices in proportion to their weights', () => {
    const table = new AliasTable([1, 0, 3, 6]);
    const rng = createRng({ seed: 7 }).stream('alias');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[table.draw(rng)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 100_000).toBeCloseTo(0.1, 1);
    expect(counts[2]! / 100_000).toBeCloseTo(0.3, 1);
    expect(counts[3]! / 100_000).toBeCloseTo(0.6, 1);
  });

  it('returns -1 when nothing has weight', () => {
    expect(new AliasTable([0, 0]).draw(createRng({ seed: 1 }).stream('a'))).toBe(-1);
    expect(new AliasTable([]).draw(createRng({ seed: 1 }).stream('a'))).toBe(-1);
  });
});
