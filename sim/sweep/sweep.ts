import type { Scenario } from '../scenario/scenarioSchema.ts';
import { aggregateSweep, type SweepAggregate } from './aggregateSweep.ts';
import { buildCells } from './buildCells.ts';
import type { GridAxis } from './parseGrid.ts';
import { type RunSweepReturnType, runSweep } from './runSweep.ts';
import { scaleScenario } from './scaleScenario.ts';
import type { SweepSpec } from './sweepStore.ts';
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

export interface SweepReturnType extends Omit<RunSweepReturnType, 'results'> {
  spec: SweepSpec;
  aggregate: SweepAggregate;
}

/**
 * A whole sweep: validate the grid (SweepSpecError names the key), run what is not finished,
 * then aggregate everything finished so far and write runs.csv, runs.json and aggregate.json.
 */
export async function sweep(p: SweepParameters): Promise<SweepReturnType> {
  const scale = p.scale ?? 1;
  const base = scaleScenario(p.scenario, scale);
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
  const r = await runSweep({
    dir: p.dir,
    spec,
    cells,
    threads: p.threads,
    onProgress: p.onProgress,
    shouldStop: p.shouldStop,
  });
  const aggregate = aggregateSweep(spec, cells, r.results);
  writeSweepOutputs(p.dir, cells, r.results, aggregate);
  const { results: _omit, ...stats } = r;
  return { ...stats, spec, aggregate };
}
