import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The sweep (baseline, 24 seeds × 2 take rates, 2 days at scale 0.1) on one machine and
 * as 4 shards run as plain processes at the same time, each shard finding its index another way
 * (--shard, Kubernetes, Slurm, AWS Batch variables); the AWS one is SIGKILLed mid-way and rerun,
 * as the scheduler's retry would. The merge must give the one-machine bytes: runs.jsonl,
 * runs.csv, runs.json, aggregate.json, sweep.json, report.html and every chart.
 */
const onesim = resolve('bin/onesim.js');
const sweepArgs = [
  onesim,
  'sweep',
  'baseline',
  '--seeds',
  '1..24',
  '--grid',
  'params.takeRate.num=5,10',
  '--days',
  '2',
  '--scale',
  '0.1',
  '--threads',
  '1',
  '--json',
];
const schedulerVariable = /^(SLURM_|AWS_BATCH_|JOB_COMPLETION_INDEX$)/;
/** This process's environment without any scheduler's variables (CI may itself run under one). */
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !schedulerVariable.test(k))),
  ...extra,
});

interface Done {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}
function start(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): { child: ChildProcess; done: Promise<Done> } {
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<Done>((resolve) =>
    child.once('exit', (status, signal) => resolve({ status, signal, stdout, stderr })),
  );
  return { child, done };
}
const lastJson = (d: Done) => JSON.parse(d.stdout.trim().split('\n').at(-1)!);
const lineCount = (path: string) =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.endsWith('}')).length
    : 0;

describe('4 shards as plain processes, one killed and rerun, merged', () => {
  const root = mkdtempSync(join(tmpdir(), 'onesim-shards-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives the bytes of the one-machine sweep', { timeout: 400_000 }, async () => {
    // Both write to a folder named `sweep`, each from its own working folder: outputs may name
    // the folder they were given (the report's commands do), and nothing else may differ.
    const [oneCwd, manyCwd] = [join(root, 'one'), join(root, 'many')];
    for (const d of [oneCwd, manyCwd]) mkdirSync(d);
    const whole = join(oneCwd, 'sweep');
    const shared = join(manyCwd, 'sweep');
    const ways: Array<{ args: string[]; env: Record<string, string>; source: string }> = [
      { args: ['--shard', '0/4'], env: {}, source: '--shard' },
      {
        args: ['--shards', '4'],
        env: { JOB_COMPLETION_INDEX: '1' },
        source: 'JOB_COMPLETION_INDEX',
      },
      {
        args: [],
        // --array=1-4: task 3 is the third task, shard 2.
        env: {
          SLURM_ARRAY_TASK_ID: '3',
          SLURM_ARRAY_TASK_MIN: '1',
          SLURM_ARRAY_TASK_MAX: '4',
          SLURM_ARRAY_TASK_COUNT: '4',
          SLURM_ARRAY_TASK_STEP: '1',
        },
        source: 'SLURM_ARRAY_TASK_ID',
      },
      {
        args: [],
        env: { AWS_BATCH_JOB_ARRAY_INDEX: '3', AWS_BATCH_JOB_ARRAY_SIZE: '4' },
        source: 'AWS_BATCH_JOB_ARRAY_INDEX',
      },
    ];
    const one = start([...sweepArgs, '--out', 'sweep'], cleanEnv(), oneCwd);
    const shards = ways.map((w) =>
      start([...sweepArgs, ...w.args, '--out', 'sweep'], cleanEnv(w.env), manyCwd),
    );

    // The scheduler loses shard 3's node after a few runs: SIGKILL, no chance to tidy up.
    const victim = join(shared, 'shard-3-of-4.jsonl');
    const deadline = Date.now() + 300_000;
    while (lineCount(victim) < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    shards[3]!.child.kill('SIGKILL');
    const killed = await shards[3]!.done;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const kept = lineCount(victim);
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(12);

    for (const [k, s] of shards.slice(0, 3).entries()) {
      const d = await s.done;
      expect(d.status, d.stderr).toBe(0);
      expect(lastJson(d)).toMatchObject({
        shard: { index: k, count: 4, source: ways[k]!.source },
        total: 12,
        ran: 12,
        skipped: 0,
        sweepRuns: 48,
      });
    }
    // A merge now finds shard 3 short and says which runs, by index.
    const early = await start(
      [onesim, 'sweep', 'merge', 'sweep', '--no-report'],
      cleanEnv(),
      manyCwd,
    ).done;
    expect(early.status).toBe(2);
    expect(early.stderr).toContain(`sweep/shard-3-of-4.jsonl lacks ${12 - kept} of its 12 runs: #`);

    // The retry: same index, same folder; it resumes.
    const retry = await start([...sweepArgs, '--out', 'sweep'], cleanEnv(ways[3]!.env), manyCwd)
      .done;
    expect(retry.status, retry.stderr).toBe(0);
    const r = lastJson(retry);
    expect(r.skipped).toBe(kept);
    expect(r.ran).toBe(12 - kept);

    const merged = await start([onesim, 'sweep', 'merge', 'sweep', '--json'], cleanEnv(), manyCwd)
      .done;
    expect(merged.status, merged.stderr).toBe(0);
    expect(lastJson(merged)).toMatchObject({ runs: 48, repeated: 0, cells: 2 });
    const ref = await one.done;
    expect(ref.status, ref.stderr).toBe(0);

    const files = [
      'sweep.json',
      'runs.jsonl',
      'runs.csv',
      'runs.json',
      'aggregate.json',
      'report.html',
      ...readdirSync(join(whole, 'charts')).map((f) => join('charts', f)),
    ];
    expect(files.length).toBeGreaterThan(8);
    for (const f of files)
      expect(readFileSync(join(shared, f)).equals(readFileSync(join(whole, f))), f).toBe(true);
  });
});
