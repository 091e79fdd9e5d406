import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/writeFileAtomic.ts';
import type { CellInfo, SweepAggregate } from './aggregateSweep.ts';
import { gridAssignments } from './buildCells.ts';
import { AtomicWriter } from './runsFile.ts';
import type { SweepRunResult } from './runTask.ts';
import { ShardSource } from './shardSource.ts';
import { SweepSpecError } from './sweepErrors.ts';
import {
  manifestDifference,
  readManifest,
  type ShardManifest,
  type SweepSpec,
} from './sweepStore.ts';
import {
  inShard,
  type Shard,
  shardFilePattern,
  shardName,
  type WorkList,
  workList,
} from './workList.ts';
import { SweepOutputs } from './writeSweepOutputs.ts';

export interface MergeSweepParameters {
  /** Folders holding shard-K-of-N.json/.jsonl files (a shared folder, or one per shard). */
  dirs: string[];
  /** Where the one-machine outputs go: sweep.json, runs.jsonl, runs.csv, runs.json, aggregate.json. */
  out: string;
  onProgress?: (done: number, total: number) => void;
  /** Polled while merging: true stops and leaves the output folder as it was. */
  shouldStop?: () => boolean;
}

export interface MergeSweepReturnType {
  spec: SweepSpec;
  /** null when stopped before the end (nothing written). */
  aggregate: SweepAggregate | null;
  shards: Array<{ path: string; shard: Shard; runs: number }>;
  /** Runs found in more than one shard file (identical bytes; kept once). */
  repeated: number;
  stopped: boolean;
}

export type MergeSweepErrorType = SweepSpecError;

interface Found {
  path: string;
  manifest: ShardManifest;
}

function findManifests(dirs: string[]): Found[] {
  if (dirs.length === 0) throw new SweepSpecError('<dir>', 'name at least one folder of shards');
  const found: Found[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new SweepSpecError(dir, 'not a folder');
    const names = readdirSync(dir)
      .filter((n) => shardFilePattern.test(n))
      .sort();
    if (names.length === 0)
      throw new SweepSpecError(dir, 'holds no shard-K-of-N.json (run onesim sweep … --shard K/N)');
    for (const n of names) {
      const path = join(dir, n);
      const manifest = readManifest(path);
      if (`${shardName(manifest.shard)}.json` !== n)
        throw new SweepSpecError(
          path,
          `says shard ${manifest.shard.index}/${manifest.shard.count}; the file was renamed`,
        );
      found.push({ path, manifest });
    }
  }
  return found;
}

function checkOneSweep(found: Found[], list: WorkList): void {
  const ref = found[0]!;
  for (const f of found) {
    const diff = manifestDifference(ref.manifest, f.manifest);
    if (diff !== null)
      throw new SweepSpecError(
        f.path,
        `a shard of a different sweep from ${ref.path} (${diff}); merge only the shards of one sweep`,
      );
    if (f.manifest.totalRuns !== list.total)
      throw new SweepSpecError(
        f.path,
        `says the sweep has ${f.manifest.totalRuns} runs; its grid and seeds make ${list.total}`,
      );
  }
}

function checkOut(out: string, spec: SweepSpec): void {
  const path = join(out, 'sweep.json');
  if (!existsSync(path)) return;
  const old = JSON.stringify(JSON.parse(readFileSync(path, 'utf8')));
  if (old !== JSON.stringify(spec))
    throw new SweepSpecError(
      path,
      'the output folder holds a different sweep; choose another --out or delete it',
    );
}

const listed = (list: WorkList, runs: number[]): string => {
  const shown = runs
    .slice(0, 10)
    .map((i) => {
      const r = list.runAt(i);
      return `#${i} (cell ${r.cell}, seed ${r.seed})`;
    })
    .join(', ');
  return runs.length > 10 ? `${shown}, … ${runs.length - 10} more` : shown;
};

/** Missing runs by shard of the first manifest's count: which file lacks them, or that none holds them. */
function missingError(missing: number[], found: Found[], list: WorkList, dirs: string[]): Error {
  const count = found[0]!.manifest.shard.count;
  const groups = new Map<number, number[]>();
  for (const i of missing) groups.set(i % count, [...(groups.get(i % count) ?? []), i]);
  const parts: string[] = [];
  let field = '';
  for (const [index, runs] of [...groups].sort((a, b) => a[0] - b[0])) {
    const holder = found.find(
      (f) => f.manifest.shard.count === count && f.manifest.shard.index === index,
    );
    const name = shardName({ index, count });
    const where = holder
      ? holder.path.replace(/\.json$/, '.jsonl')
      : dirs.length === 1
        ? join(dirs[0]!, `${name}.json`)
        : `${name}.json`;
    field ||= where;
    parts.push(
      holder
        ? `${where} lacks ${runs.length} of its ${holder.manifest.runs} runs: ${listed(list, runs)}; rerun shard ${index}/${count} (the same command resumes it)`
        : `no ${name}.json in ${dirs.join(', ')}: shard ${index}/${count} never ran; its ${runs.length} runs are missing: ${listed(list, runs)}`,
    );
  }
  return new SweepSpecError(
    field,
    `${missing.length} of ${list.total} runs missing. ${parts.join('. ')}`,
  );
}

/**
 * Joins the shards of one sweep into the files a one-machine sweep writes, byte for byte:
 * sweep.json, runs.jsonl (canonical order), runs.csv, runs.json and aggregate.json. Shard files
 * are read a line at a time in canonical order, so memory is the aggregate's, not the runs'.
 * Refuses (SweepSpecError naming the file) shards of another sweep (scenario, seeds, grid, days,
 * scale, commit or params hash differ), a line of another shard or a damaged one, two different
 * results for one run, and missing runs, listed by index.
 */
export function mergeSweep(p: MergeSweepParameters): MergeSweepReturnType {
  const found = findManifests(p.dirs);
  const spec = found[0]!.manifest.spec;
  const cells: CellInfo[] = gridAssignments(spec.grid).map((assignments, index) => ({
    index,
    assignments,
  }));
  const list = workList(cells.length, spec.seeds);
  checkOneSweep(found, list);
  mkdirSync(p.out, { recursive: true });
  checkOut(p.out, spec);
  const sources = found.map(
    (f) => new ShardSource(f.path.replace(/\.json$/, '.jsonl'), f.manifest.shard, list),
  );
  const out = new AtomicWriter(join(p.out, 'runs.jsonl'));
  const outputs = new SweepOutputs({ spec, cells });
  const missing: number[] = [];
  let repeated = 0;
  let stopped = false;
  try {
    for (let i = 0; i < list.total; i++) {
      if (i % 256 === 0) {
        p.onProgress?.(i, list.total);
        if (p.shouldStop?.()) {
          stopped = true;
          break;
        }
      }
      let text: string | null = null;
      let run: SweepRunResult | null = null;
      let from = '';
      for (const s of sources) {
        if (!inShard(i, s.shard)) continue;
        const line = s.take(i);
        if (line === null) continue;
        if (text === null) {
          text = line.text;
          run = line.run;
          from = `${s.path}:${line.number}`;
        } else if (line.text !== text) {
          const r = list.runAt(i);
          throw new SweepSpecError(
            `${s.path}:${line.number}`,
            `run #${i} (cell ${r.cell}, seed ${r.seed}) differs from ${from}: the shards were not built from the same code`,
          );
        } else repeated += 1;
      }
      if (text === null) missing.push(i);
      else if (missing.length === 0) {
        out.write(`${text}\n`);
        outputs.add(run!);
      }
    }
    if (!stopped) {
      for (const s of sources) s.finish();
      if (missing.length > 0) throw missingError(missing, found, list, p.dirs);
      out.commit();
    }
  } finally {
    out.abort();
    for (const s of sources) s.close();
  }
  const shards = found.map((f, k) => ({
    path: f.path,
    shard: f.manifest.shard,
    runs: sources[k]!.taken,
  }));
  if (stopped) return { spec, aggregate: null, shards, repeated, stopped };
  p.onProgress?.(list.total, list.total);
  writeFileAtomic(join(p.out, 'sweep.json'), `${JSON.stringify(spec, null, 2)}\n`);
  const aggregate = outputs.write(p.out);
  return { spec, aggregate, shards, repeated, stopped };
}
