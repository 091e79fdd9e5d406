import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * The README's main job and its trace, as a user runs them: `onesim run baseline` (14 days, the
 * trace and the report), then `onesim replay` of that trace, each in a fresh process on the
 * compiled build (built first, as `npm test` does). Targets (issue 16): the run ≤ 5 s, the trace
 * ≤ 5 MB, the replay ≥ 1M actions/s. `npx` adds ~0.5 s of its own before onesim starts.
 * ONESIM_BASELINE_RUNS sets how many times each is measured (default 3; the fastest is shown
 * beside the median, since a shared machine only adds time).
 */
const root = new URL('../../', import.meta.url).pathname;

function timed(args: string[]): { s: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/onesim.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0)
    throw new Error(`onesim ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { s, stdout: r.stdout };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) =>
  `fastest ${Math.min(...xs).toFixed(2)} s, median ${median(xs).toFixed(2)} s (${xs.map((x) => x.toFixed(2)).join(', ')})`;

export default async function bench(): Promise<void> {
  const runs = Number(process.env.ONESIM_BASELINE_RUNS ?? 3);
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('the build failed: run `npm run build` to see why');
  const dir = mkdtempSync(join(tmpdir(), 'onesim-baseline-bench-'));
  try {
    const runS: number[] = [];
    const replayS: number[] = [];
    let summary: { headline: { jobsSubmitted: number }; finalStateHash: string } | null = null;
    let replayed: { actions: number; matches: boolean } | null = null;
    for (let i = 0; i < runs; i++) {
      const out = join(dir, `run-${i}`);
      const run = timed(['run', 'baseline', '--out', out, '--json']);
      runS.push(run.s);
      summary = lastJson(run.stdout);
      const replay = timed(['replay', join(out, 'trace.jsonl.gz'), '--json']);
      replayS.push(replay.s);
      replayed = lastJson(replay.stdout);
      if (!replayed!.matches) throw new Error(`run ${i}: the replay did not reproduce the run`);
    }
    const traceBytes = statSync(join(dir, 'run-0', 'trace.jsonl.gz')).size;
    const actions = replayed!.actions;
    const jobs = summary!.headline.jobsSubmitted;
    console.log(
      `onesim run baseline (14 days, ${jobs.toLocaleString('en-US')} jobs, ${actions.toLocaleString('en-US')} actions, trace and report): ${fmt(runS)}; target ≤ 5 s`,
    );
    console.log(
      `  trace ${(traceBytes / 1e6).toFixed(2)} MB gzipped (target ≤ 5 MB); state hash ${summary!.finalStateHash}`,
    );
    console.log(
      `onesim replay of it: ${fmt(replayS)} = ${Math.round(actions / Math.min(...replayS)).toLocaleString('en-US')} actions/s at the fastest, process start and checkpoint hashes included; target ≥ 1,000,000`,
    );
    console.log(
      `  command: ${runs === 3 ? '' : `ONESIM_BASELINE_RUNS=${runs} `}npm run bench -- sim/run/baseline.bench.ts`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
