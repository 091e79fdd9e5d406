import { appendFileSync } from 'node:fs';
import type { Cell } from '../buildCells.ts';
import type { SweepRunResult } from '../runTask.ts';
import { openShardDir, paramsHash, type SweepSpec, shardFormat } from '../sweepStore.ts';
import { type Shard, shardSize, workList } from '../workList.ts';

/**
 * Shard files of made-up runs, for tests and benchmarks of the merge (a real run of a 90-day
 * network takes seconds; the merge only reads lines). Each run's numbers come from a small hash
 * of (cell, seed), so the files are the same on every call. The manifest is the one a shard
 * writes (openShardDir).
 */
export interface SyntheticShardsParameters {
  dir: string;
  spec: SweepSpec;
  cells: Cell[];
  shards: number;
  /** Headline numbers per run (default 40) and metrics columns per day (default 20). */
  metrics?: number;
  columns?: number;
}

/** mulberry32: a few lines, well mixed, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticRun(
  cell: number,
  seed: number,
  days: number,
  o: { metrics?: number; columns?: number } = {},
): SweepRunResult {
  const next = rng(cell * 1_000_003 + seed);
  const r6 = (x: number) => Number(x.toPrecision(6));
  const headline: Record<string, number> = {};
  for (let m = 0; m < (o.metrics ?? 40); m++) headline[`metric${m}`] = r6(next() * 1000 * (m + 1));
  const daily: Record<string, number[]> = {};
  for (let c = 0; c < (o.columns ?? 20); c++)
    daily[`column${c}`] = Array.from({ length: days }, () => r6(next() * 100));
  return {
    cell,
    seed,
    status: 'completed',
    finalStateHash: `0x${Math.floor(next() * 2 ** 52)
      .toString(16)
      .padStart(64, '0')}`,
    headline: headline as unknown as SweepRunResult['headline'],
    derived: { ratio: r6(next()) } as unknown as SweepRunResult['derived'],
    expectations: [
      { label: 'ratio below 0.9', pass: next() < 0.9, actual: r6(next()) },
      { label: 'metric0 positive', pass: true, actual: headline.metric0! },
    ],
    daily,
  };
}

/** Writes shard-k-of-N files for every k, each with all its runs; returns the shards' sizes. */
export function writeSyntheticShards(p: SyntheticShardsParameters): number[] {
  const list = workList(p.cells.length, p.spec.seeds);
  const sizes: number[] = [];
  for (let k = 0; k < p.shards; k++) {
    const shard: Shard = { index: k, count: p.shards };
    const { runsPath } = openShardDir(
      p.dir,
      {
        format: shardFormat,
        shard,
        runs: shardSize(list.total, shard),
        totalRuns: list.total,
        paramsHash: paramsHash(p.cells),
        spec: p.spec,
      },
      list,
    );
    let batch = '';
    for (let i = k; i < list.total; i += p.shards) {
      const { cell, seed } = list.runAt(i);
      batch += `${JSON.stringify(syntheticRun(cell, seed, p.spec.days, p))}\n`;
      if (batch.length > 1 << 20) {
        appendFileSync(runsPath, batch);
        batch = '';
      }
    }
    appendFileSync(runsPath, batch);
    sizes.push(shardSize(list.total, shard));
  }
  return sizes;
}
