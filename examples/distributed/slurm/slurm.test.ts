import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobState, type LocalSlurm, missingSlurmCommands, startLocalSlurm } from './localSlurm.ts';

/**
 * The Slurm job definitions on a real scheduler: a one-node cluster on this machine runs
 * submit.sh (the array script under `sbatch --array`, and the merge job after it); the merged
 * folder must hold the same bytes as a one-machine sweep. In CI (CI=true) a cluster that cannot
 * start fails the test; elsewhere the test is skipped and says why.
 */
const root = resolve('.');
const here = join(root, 'examples', 'distributed', 'slurm');
const sweepArgs = [
  'baseline',
  '--seeds',
  '1..3',
  '--grid',
  'params.takeRate.num=5,10',
  '--days',
  '1',
  '--scale',
  '0.01',
];
const compared = [
  'sweep.json',
  'runs.jsonl',
  'runs.csv',
  'runs.json',
  'aggregate.json',
  'report.html',
];
const inCi = Boolean(process.env.CI);
const terminal = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
  'PREEMPTED',
]);

function oneMachine(out: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['bin/onesim.js', 'sweep', ...sweepArgs, '--threads', '1', '--out', out, '--json'],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((r) => child.once('exit', (status) => r({ status, stderr })));
}

describe('Slurm: the array script and the merge job on a one-node cluster', () => {
  let cluster: LocalSlurm | null = null;
  const work = mkdtempSync(join(tmpdir(), 'onesim-slurm-sweep-'));
  afterAll(async () => {
    await cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('sbatch --array shards, the merge job joins them: the bytes of a one-machine sweep', {
    timeout: 240_000,
  }, async (ctx) => {
    const missing = missingSlurmCommands();
    const cannot = (why: string) => {
      if (inCi) throw new Error(`Slurm test cannot run in CI: ${why}`);
      console.warn(`skipping the Slurm test: ${why}`);
      ctx.skip(why);
    };
    if (missing.length > 0)
      return cannot(
        `${missing.join(', ')} not installed (apt-get install slurm-wlm munge; .ci/run does)`,
      );
    // The one-machine sweep first, in the folder the shards will use (the report names its
    // folder), then moved aside; the cluster starts meanwhile.
    const sweepDir = join(work, 'sweep');
    const referenceDir = join(work, 'one-machine');
    const reference = oneMachine(sweepDir);
    try {
      cluster = await startLocalSlurm();
    } catch (e) {
      await reference;
      return cannot((e as Error).message);
    }
    const ref = await reference;
    expect(ref.status, ref.stderr).toBe(0);
    renameSync(sweepDir, referenceDir);
    const env = cluster.env;
    const submitted = spawnSync(join(here, 'submit.sh'), sweepArgs, {
      env: {
        ...env,
        ONESIM: `${process.execPath} ${join(root, 'bin', 'onesim.js')}`,
        ONESIM_SWEEP_DIR: sweepDir,
        ONESIM_SHARDS: '2',
        ONESIM_SBATCH_OPTIONS: '--cpus-per-task=1',
      },
      encoding: 'utf8',
    });
    expect(submitted.status, submitted.stderr).toBe(0);
    const [arrayId, mergeId] = submitted.stdout.trim().split(/\s+/);
    expect(arrayId).toMatch(/^\d+$/);
    expect(mergeId).toMatch(/^\d+$/);

    const deadline = Date.now() + 200_000;
    let states: string[] = [];
    while (Date.now() < deadline) {
      states = jobState(env, mergeId!);
      if (states.length > 0 && states.every((s) => terminal.has(s))) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const outputs = () =>
      readdirSync(sweepDir)
        .filter((f) => f.endsWith('.out'))
        .map((f) => `--- ${f}\n${readFileSync(join(sweepDir, f), 'utf8').slice(-1500)}`)
        .join('\n');
    const arrayStates = jobState(env, arrayId!);
    expect(arrayStates, `${outputs()}\n${cluster.logs()}`).toEqual(['COMPLETED', 'COMPLETED']);
    expect(states, `${outputs()}\n${cluster.logs()}`).toEqual(['COMPLETED']);
    // Each task found its shard in SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT.
    for (const k of [0, 1]) expect(existsSync(join(sweepDir, `shard-${k}-of-2.jsonl`))).toBe(true);

    for (const f of compared)
      expect(readFileSync(join(sweepDir, f), 'utf8'), f).toBe(
        readFileSync(join(referenceDir, f), 'utf8'),
      );
  });
});
