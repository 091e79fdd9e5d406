import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Cell } from './buildCells.ts';
import type { SweepRunResult, SweepTask } from './runTask.ts';
import { appendRun, openSweepDir, runKey, type SweepSpec } from './sweepStore.ts';

export interface RunSweepParameters {
  dir: string;
  spec: SweepSpec;
  cells: Cell[];
  /** Pool threads; default: the machine's parallelism. */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
  /** Polled before each new run: true stops starting runs; running ones finish and are kept. */
  shouldStop?: () => boolean;
}

export interface RunSweepReturnType {
  total: number;
  /** Finished before this call (resumed). */
  skipped: number;
  ran: number;
  stopped: boolean;
  commitChanged: string | null;
  results: SweepRunResult[];
}

const entry = new URL('./sweepWorkerEntry.mjs', import.meta.url);

/** Runs every (cell, seed) not yet in the folder on a worker-thread pool, appending each result as it finishes. */
export async function runSweep(p: RunSweepParameters): Promise<RunSweepReturnType> {
  const { finished, commitChanged } = openSweepDir(p.dir, p.spec);
  const todo: SweepTask[] = [];
  for (const cell of p.cells)
    for (const seed of p.spec.seeds)
      if (!finished.has(runKey(cell.index, seed)))
        todo.push({
          cell: cell.index,
          seed,
          days: p.spec.days,
          commit: p.spec.commit,
          scenario: cell.scenario,
        });
  const total = p.cells.length * p.spec.seeds.length;
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
      appendRun(p.dir, r);
      finished.set(runKey(r.cell, r.seed), r);
      done += 1;
      p.onProgress?.(done, total);
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    await pool?.destroy();
  }
  return {
    total,
    skipped,
    ran: done - skipped,
    stopped,
    commitChanged,
    results: [...finished.values()],
  };
}
