import type { Scenario } from '../scenario/scenarioSchema.ts';
import type { SweepAggregate } from './aggregateSweep.ts';
import { buildCells, type Cell } from './buildCells.ts';
import type { GridAxis } from './parseGrid.ts';
import { type RunSweepReturnType, runSweep } from './runSweep.ts';
import { scaleScenario } from './scaleScenario.ts';
import type { SweepSpec } from './sweepStore.ts';
import type { Shard } from './workList.ts';
import { writeSweepOutputs } from './writeSweepOutputs.ts';

export interface SweepParameters {
  scenario: Scenario;
  seeds: number[];
  grid: GridAxis[];
  days?: number;
  scale?: number;
  dir: string;
  commit: string;
  threads?: number;
  onProgress?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

export interface SweepReturnType extends Omit<RunSweepReturnType, 'manifestPath'> {
  spec: SweepSpec;
  aggregate: SweepAggregate;
}

/** The spec and validated cells of a sweep (SweepSpecError names a bad grid key or value). */
export function prepareSweep(
  p: Pick<SweepParameters, 'scenario' | 'seeds' | 'grid' | 'days' | 'scale' | 'commit'>,
): { spec: SweepSpec; cells: Cell[] } {
  const scale = p.scale ?? 1;
  // The description (what a sweep measured) is prose, not input: writing it must not make a
  // resumed sweep a different one.
  const { description: _measured, ...simulated } = p.scenario;
  const base = scaleScenario(simulated, scale);
  const days = p.days ?? base.days;
  const cells = buildCells(base, p.grid);
  const spec: SweepSpec = {
    scenario: p.scenario.name,
    question: p.scenario.question,
    seeds: p.seeds,
    grid: p.grid,
    days,
    scale,
    commit: p.commit,
    base,
  };
  return { spec, cells };
}

/**
 * A whole sweep on this machine: validate the grid (SweepSpecError names the key), run what is
 * not finished, then aggregate everything finished so far and write runs.csv, runs.json and
 * aggregate.json (runs.jsonl in canonical order).
 */
export async function sweep(p: SweepParameters): Promise<SweepReturnType> {
  const { spec, cells } = prepareSweep(p);
  const { manifestPath: _none, ...stats } = await runSweep({
    dir: p.dir,
    spec,
    cells,
    threads: p.threads,
    onProgress: p.onProgress,
    shouldStop: p.shouldStop,
  });
  const aggregate = writeSweepOutputs({ dir: p.dir, spec, cells });
  return { ...stats, spec, aggregate };
}

export interface SweepShardParameters extends SweepParameters {
  shard: Shard;
}

export interface SweepShardReturnType extends RunSweepReturnType {
  spec: SweepSpec;
  shard: Shard;
  /** Runs in the whole sweep. */
  totalRuns: number;
}

/**
 * One slice of a sweep (`--shard K/N` or a scheduler's array index): runs the shard's runs not
 * yet in its file and leaves shard-K-of-N.json/.jsonl in the folder; `mergeSweep` joins shards
 * into the outputs a one-machine sweep writes.
 */
export async function sweepShard(p: SweepShardParameters): Promise<SweepShardReturnType> {
  const { spec, cells } = prepareSweep(p);
  const r = await runSweep({
    dir: p.dir,
    spec,
    cells,
    shard: p.shard,
    threads: p.threads,
    onProgress: p.onProgress,
    shouldStop: p.shouldStop,
  });
  return { ...r, spec, shard: p.shard, totalRuns: cells.length * spec.seeds.length };
}
