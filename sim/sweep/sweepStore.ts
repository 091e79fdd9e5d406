import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/writeFileAtomic.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import type { Cell } from './buildCells.ts';
import type { GridAxis } from './parseGrid.ts';
import { canonicalizeRunsFile, RunsFileError } from './runsFile.ts';
import type { SweepRunResult } from './runTask.ts';
import { SweepSpecError } from './sweepErrors.ts';
import { inShard, type Shard, shardName, shardSize, type WorkList } from './workList.ts';

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

export const shardFormat = 'onesim-sweep-shard/1';

/** shard-K-of-N.json: which slice of which sweep a shard's runs file holds. */
export interface ShardManifest {
  format: typeof shardFormat;
  shard: Shard;
  /** Runs in this shard, and in the whole sweep. */
  runs: number;
  totalRuns: number;
  /** sha256 of every cell's scenario with its protocol parameters resolved (defaults included). */
  paramsHash: string;
  spec: SweepSpec;
}

const sameSweep = (a: SweepSpec, b: SweepSpec): boolean =>
  JSON.stringify({ ...a, commit: '' }) === JSON.stringify({ ...b, commit: '' });
export const runKey = (cell: number, seed: number): string => `${cell}:${seed}`;

/**
 * sha256 of the cells' resolved scenarios: two builds that agree on the commit but not on a
 * default (an uncommitted edit) give different hashes.
 */
export const paramsHash = (cells: readonly Cell[]): string =>
  `sha256:${createHash('sha256')
    .update(JSON.stringify(cells.map((c) => c.scenario)))
    .digest('hex')}`;

export interface OpenedSweep {
  /** Run indexes already finished (resumed), ascending. */
  finished: number[];
  /** The commit the folder was started at, when it differs from this one. */
  commitChanged: string | null;
  /** Where finished runs are appended. */
  runsPath: string;
}

const runIndexOf =
  (list: WorkList, shard: Shard | null) =>
  (r: { cell?: unknown; seed?: unknown }): number | string => {
    const i =
      typeof r.cell === 'number' && typeof r.seed === 'number' ? list.indexOf(r.cell, r.seed) : -1;
    if (i < 0)
      return `(cell ${JSON.stringify(r.cell)}, seed ${JSON.stringify(r.seed)}) is not a run of this sweep`;
    if (shard !== null && !inShard(i, shard))
      return `run #${i} (cell ${r.cell}, seed ${r.seed}) belongs to shard ${i % shard.count}/${shard.count}, not ${shard.index}/${shard.count}`;
    return i;
  };

/**
 * Puts a runs file in canonical order (torn lines and repeats dropped) and returns the run
 * indexes it holds; a line of another sweep or shard is a SweepSpecError naming file:line.
 */
export function finishedRuns(runsPath: string, list: WorkList, shard: Shard | null): number[] {
  try {
    return canonicalizeRunsFile({ path: runsPath, indexOf: runIndexOf(list, shard) }).finished;
  } catch (e) {
    if (e instanceof RunsFileError) throw new SweepSpecError(`${e.path}:${e.line}`, e.detail);
    throw e;
  }
}

/**
 * Opens (or starts) a one-machine sweep folder: sweep.json and runs.jsonl. Returns the runs already
 * finished; a line torn by a kill is dropped and the file put in canonical order.
 */
export function openSweepDir(dir: string, spec: SweepSpec, list: WorkList): OpenedSweep {
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
  const runsPath = join(dir, 'runs.jsonl');
  return { finished: finishedRuns(runsPath, list, null), commitChanged, runsPath };
}

/**
 * Opens (or starts) one shard's files in a folder (shared with the other shards or its own):
 * shard-K-of-N.json and shard-K-of-N.jsonl. A rerun of the shard (a scheduler's retry) resumes
 * it; a manifest of another sweep or with other parameters is refused naming the file. One of
 * another commit comes back in `commitChanged` (runSweep lets it be only when nothing is left to run).
 */
export function openShardDir(
  dir: string,
  manifest: ShardManifest,
  list: WorkList,
): OpenedSweep & { manifestPath: string } {
  mkdirSync(dir, { recursive: true });
  const name = shardName(manifest.shard);
  const manifestPath = join(dir, `${name}.json`);
  let commitChanged: string | null = null;
  if (existsSync(manifestPath)) {
    const old = readManifest(manifestPath);
    // Another commit alone is not another sweep yet: a finished shard stays as it is (runSweep
    // refuses to add runs of another commit to it).
    const sameCommit = { ...manifest, spec: { ...manifest.spec, commit: old.spec.commit } };
    const diff = manifestDifference(old, sameCommit);
    if (diff !== null)
      throw new SweepSpecError(
        manifestPath,
        `holds shard ${manifest.shard.index}/${manifest.shard.count} of a different sweep (${diff}); choose another --out or delete it`,
      );
    if (old.spec.commit !== manifest.spec.commit) commitChanged = old.spec.commit;
  } else writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const runsPath = join(dir, `${name}.jsonl`);
  return {
    finished: finishedRuns(runsPath, list, manifest.shard),
    commitChanged,
    runsPath,
    manifestPath,
  };
}

/** Reads and checks a shard manifest; SweepSpecError names the file. */
export function readManifest(path: string): ShardManifest {
  let m: ShardManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new SweepSpecError(path, `not a shard manifest: ${(e as Error).message}`);
  }
  const ok =
    m !== null &&
    typeof m === 'object' &&
    m.format === shardFormat &&
    Number.isInteger(m.shard?.index) &&
    Number.isInteger(m.shard?.count) &&
    m.shard.index >= 0 &&
    m.shard.index < m.shard.count &&
    typeof m.paramsHash === 'string' &&
    typeof m.spec?.commit === 'string' &&
    Array.isArray(m.spec?.seeds) &&
    Array.isArray(m.spec?.grid) &&
    m.runs === shardSize(m.totalRuns, m.shard);
  if (!ok)
    throw new SweepSpecError(path, `not a ${shardFormat} manifest (format, shard, runs or spec)`);
  return m;
}

/** What makes two manifests different sweeps, or null when they are shards of one. */
export function manifestDifference(a: ShardManifest, b: ShardManifest): string | null {
  const fields: Array<[string, (m: ShardManifest) => unknown]> = [
    ['scenario', (m) => m.spec.scenario],
    ['seeds', (m) => m.spec.seeds],
    ['grid', (m) => m.spec.grid],
    ['days', (m) => m.spec.days],
    ['scale', (m) => m.spec.scale],
    ['scenario settings', (m) => ({ ...m.spec, commit: '' })],
    ['commit', (m) => m.spec.commit],
    ['params hash', (m) => m.paramsHash],
  ];
  for (const [name, get] of fields) {
    const x = JSON.stringify(get(a));
    const y = JSON.stringify(get(b));
    if (x !== y) return `${name} differs: ${shorten(x)} vs ${shorten(y)}`;
  }
  return null;
}

const shorten = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

/** Appends one finished run as it completes (one write of one line). */
export function appendRun(runsPath: string, r: SweepRunResult): void {
  appendFileSync(runsPath, `${JSON.stringify(r)}\n`);
}
