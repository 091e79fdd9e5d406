import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../run/writeRunOutputs.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import type { GridAxis } from './parseGrid.ts';
import type { SweepRunResult } from './runTask.ts';
import { SweepSpecError } from './sweepErrors.ts';

/** sweep.json: what a sweep folder holds; a resumed sweep must match it (the commit may differ, with a warning). */
export interface SweepSpec {
  scenario: string;
  question: string;
  seeds: number[];
  grid: GridAxis[];
  days: number;
  scale: number;
  commit: string;
  /** The scaled base scenario before the grid is applied. */
  base: Scenario;
}

const sameSweep = (a: SweepSpec, b: SweepSpec): boolean =>
  JSON.stringify({ ...a, commit: '' }) === JSON.stringify({ ...b, commit: '' });
export const runKey = (cell: number, seed: number): string => `${cell}:${seed}`;

/**
 * Opens (or starts) a sweep folder. Returns the runs already finished; a torn last line of
 * runs.jsonl (a kill mid-write) is dropped and the file rewritten without it.
 */
export function openSweepDir(
  dir: string,
  spec: SweepSpec,
): { finished: Map<string, SweepRunResult>; commitChanged: string | null } {
  mkdirSync(dir, { recursive: true });
  const specPath = join(dir, 'sweep.json');
  let commitChanged: string | null = null;
  if (existsSync(specPath)) {
    const old = JSON.parse(readFileSync(specPath, 'utf8')) as SweepSpec;
    if (!sameSweep(old, spec))
      throw new SweepSpecError(
        '--out',
        `${dir} holds a different sweep (scenario, seeds, grid, days or scale differ); choose another --out or delete it`,
      );
    if (old.commit !== spec.commit) commitChanged = old.commit;
  } else writeFileAtomic(specPath, `${JSON.stringify(spec, null, 2)}\n`);
  const finished = new Map<string, SweepRunResult>();
  const runsPath = join(dir, 'runs.jsonl');
  if (!existsSync(runsPath)) return { finished, commitChanged };
  const lines = readFileSync(runsPath, 'utf8').split('\n');
  let torn = false;
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as SweepRunResult;
      finished.set(runKey(r.cell, r.seed), r);
    } catch {
      torn = true;
    }
  }
  if (torn)
    writeFileAtomic(runsPath, [...finished.values()].map((r) => `${JSON.stringify(r)}\n`).join(''));
  return { finished, commitChanged };
}

/** Appends one finished run as it completes (one write of one line). */
export function appendRun(dir: string, r: SweepRunResult): void {
  appendFileSync(join(dir, 'runs.jsonl'), `${JSON.stringify(r)}\n`);
}
