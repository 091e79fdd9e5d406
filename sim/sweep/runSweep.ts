import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Cell } from './buildCells.ts';
import type { SweepRunResult, SweepTask } from './runTask.ts';
import { SweepSpecError } from './sweepErrors.ts';
import {
  appendRun,
  finishedRuns,
  type OpenedSweep,
  openShardDir,
  openSweepDir,
  paramsHash,
  type SweepSpec,
  shardFormat,
} from './sweepStore.ts';
import { inShard, type Shard, shardSize, type WorkList, workList } from './workList.ts';

export interface RunSweepParameters {
  dir: string;
  spec: SweepSpec;
  cells: Cell[];
  /**
   * Run only this slice of the canonical work list, into the folder's shard-K-of-N files
   * (`onesim sweep merge` joins them); default: the whole sweep, into runs.jsonl.
   */
  shard?: Shard;
  /** Pool threads; default: the machine's parallelism. */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
  /** Polled before each new run: true stops starting runs; running ones finish and are kept. */
  shouldStop?: () => boolean;
}

export interface RunSweepReturnType {
  /** Runs of this call's slice (the whole sweep without a shard). */
  total: number;
  /** Finished before this call (resumed). */
  skipped: number;
  ran: number;
  stopped: boolean;
  commitChanged: string | null;
  /** The runs file, in canonical order once this returns. */
  runsPath: string;
  /** The shard's manifest, with a shard. */
  manifestPath: string | null;
}

const entry = new URL('./sweepWorkerEntry.mjs', import.meta.url);

function open(
  p: RunSweepParameters,
  list: WorkList,
): OpenedSweep & { manifestPath: string | null } {
  if (p.shard === undefined) return { ...openSweepDir(p.dir, p.spec, list), manifestPath: null };
  return openShardDir(
    p.dir,
    {
      format: shardFormat,
      shard: p.shard,
      runs: shardSize(list.total, p.shard),
      totalRuns: list.total,
      paramsHash: paramsHash(p.cells),
      spec: p.spec,
    },
    list,
  );
}

/**
 * Runs every run of the sweep (or of its shard) not yet in the folder on a worker-thread pool,
 * appending each result as it finishes; then puts the runs file in canonical order, so the bytes
 * do not depend on which thread finished first.
 */
export async function runSweep(p: RunSweepParameters): Promise<RunSweepReturnType> {
  const list = workList(p.cells.length, p.spec.seeds);
  const opened = open(p, list);
  const done0 = new Set(opened.finished);
  const todo: SweepTask[] = [];
  let total = 0;
  for (let i = 0; i < list.total; i++) {
    if (p.shard !== undefined && !inShard(i, p.shard)) continue;
    total += 1;
    if (done0.has(i)) continue;
    const { cell, seed } = list.runAt(i);
    todo.push({
      cell,
      seed,
      days: p.spec.days,
      commit: p.spec.commit,
      scenario: p.cells[cell]!.scenario,
    });
  }
  if (p.shard !== undefined && opened.commitChanged !== null && todo.length > 0)
    throw new SweepSpecError(
      opened.manifestPath!,
      `shard ${p.shard.index}/${p.shard.count} was started at commit ${opened.commitChanged}, this is ${p.spec.commit}, and ${todo.length} of its runs remain: runs of two commits cannot be merged; finish it with the commit it started at, or delete its files`,
    );
  const skipped = total - todo.length;
  let done = skipped;
  p.onProgress?.(done, total);
  const threads = Math.max(1, Math.min(p.threads ?? availableParallelism(), todo.length || 1));
  const pool =
    todo.length === 0
      ? null
      : new Piscina({
          filename: entry.href,
          minThreads: threads,
          maxThreads: threads,
          idleTimeout: 60_000,
        });
  let next = 0;
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (next < todo.length) {
      if (p.shouldStop?.()) {
        stopped = true;
        return;
      }
      const task = todo[next++]!;
      const r = (await pool!.run(task)) as SweepRunResult;
      appendRun(opened.runsPath, r);
      done += 1;
      p.onProgress?.(done, total);
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    await pool?.destroy();
  }
  if (todo.length > 0) finishedRuns(opened.runsPath, list, p.shard ?? null);
  return {
    total,
    skipped,
    ran: done - skipped,
    stopped,
    commitChanged: opened.commitChanged,
    runsPath: opened.runsPath,
    manifestPath: opened.manifestPath,
  };
}
