import { SweepSpecError } from './sweepErrors.ts';

/**
 * The canonical work list of a sweep: run `index = cell × seeds + seedIndex`, cells in grid
 * order (first key slowest), seeds ascending. A run is fixed by its cell's scenario and its seed
 * (`seeds[seedIndex]`, the same seed in every cell, so cells are compared on the same random
 * draws); which machine, shard or thread runs it never enters.
 */
export interface WorkList {
  cells: number;
  seeds: readonly number[];
  /** cells × seeds. */
  total: number;
  /** The run index of (cell, seed value), or -1 when the pair is not in the list. */
  indexOf(cell: number, seed: number): number;
  /** The (cell, seed) of a run index. */
  runAt(index: number): RunRef;
}

export interface RunRef {
  index: number;
  cell: number;
  seed: number;
}

/** A slice of the work list: the runs whose index ≡ index (mod count). */
export interface Shard {
  /** 0 ≤ index < count: the schedulers' array indexes count from 0 too. */
  index: number;
  count: number;
}

export const shardCountMax = 100_000;

/** Throws SweepSpecError when seeds are not strictly ascending (parseSeeds guarantees they are). */
export function workList(cells: number, seeds: readonly number[]): WorkList {
  for (let i = 1; i < seeds.length; i++)
    if (!(seeds[i]! > seeds[i - 1]!))
      throw new SweepSpecError('seeds', 'must ascend without repeats');
  const seedIndex = new Map(seeds.map((s, i) => [s, i]));
  const n = seeds.length;
  return {
    cells,
    seeds,
    total: cells * n,
    indexOf: (cell, seed) => {
      const j = seedIndex.get(seed);
      return j === undefined || !Number.isInteger(cell) || cell < 0 || cell >= cells
        ? -1
        : cell * n + j;
    },
    runAt: (index) => ({ index, cell: Math.floor(index / n), seed: seeds[index % n]! }),
  };
}

/**
 * Interleaved slices (0, N, 2N, … for shard 0): every shard gets a share of every cell, so cells
 * that cost more (a bigger network) do not all land on one machine.
 */
export const inShard = (index: number, s: Shard): boolean => index % s.count === s.index;

/** How many of `total` runs shard `s` holds. */
export const shardSize = (total: number, s: Shard): number =>
  total > s.index ? Math.floor((total - 1 - s.index) / s.count) + 1 : 0;

/** `--shard K/N`: the K-th of N slices, K counting from 0. */
export function parseShardFlag(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m)
    throw new SweepSpecError(
      '--shard',
      `${JSON.stringify(text)}: expected K/N (0 ≤ K < N), e.g. 0/4 … 3/4`,
    );
  return checkShard('--shard', text, Number(m[1]), Number(m[2]));
}

export function checkShard(field: string, shown: string, index: number, count: number): Shard {
  if (!(count >= 1 && count <= shardCountMax))
    throw new SweepSpecError(field, `${shown}: the number of shards must be 1..${shardCountMax}`);
  if (!(index >= 0 && index < count))
    throw new SweepSpecError(
      field,
      `${shown}: shard index ${index} is not in 0..${count - 1} (indexes count from 0)`,
    );
  return { index, count };
}

/** File names of a shard's manifest and runs: `shard-2-of-4.json`, `shard-2-of-4.jsonl`. */
export const shardName = (s: Shard): string => `shard-${s.index}-of-${s.count}`;
export const shardFilePattern = /^shard-(\d+)-of-(\d+)\.json$/;
