import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { type SupervisedChild, spawnSupervised } from '../../../sim/process/supervise.ts';

/**
 * A one-node Slurm cluster on this machine, for tests: munged, slurmctld and slurmd from
 * Debian's `munge` and `slurm-wlm`, run as the current user (no root needed, nothing in /etc
 * touched) with every file in one temp folder and free ports on 127.0.0.1. The commands see it
 * through SLURM_CONF (`env`). Daemons run under onesim's supervisor, so they die with the test.
 */
export interface LocalSlurm {
  dir: string;
  /** The environment for sbatch, squeue, scontrol: SLURM_CONF set. */
  env: NodeJS.ProcessEnv;
  /** Last lines of the daemons' logs, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

export const slurmCommands = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'scontrol', 'sinfo'];

/** The commands a local cluster needs that are not on PATH (install: apt-get install slurm-wlm munge). */
export function missingSlurmCommands(): string[] {
  const path = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
  return slurmCommands.filter(
    (c) =>
      spawnSync('sh', ['-c', `command -v ${c}`], { env: { ...process.env, PATH: path } }).status !==
      0,
  );
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tail = (path: string, n = 15) =>
  existsSync(path)
    ? readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n')
    : '(no log)';

/** Starts the cluster and waits until its node is idle; throws with the daemons' logs otherwise. */
export async function startLocalSlurm(o: { readyTimeoutMs?: number } = {}): Promise<LocalSlurm> {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-slurm-'));
  // munged insists that every folder above its socket is searchable by all, and its key private.
  chmodSync(dir, 0o755);
  const sock = join(dir, 'munge');
  const keyDir = join(dir, 'munge-key');
  mkdirSync(sock, { mode: 0o755 });
  mkdirSync(keyDir, { mode: 0o700 });
  for (const d of ['state', 'spool']) mkdirSync(join(dir, d));
  const key = join(keyDir, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const path = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: path,
    SLURM_CONF: join(dir, 'slurm.conf'),
  };
  const user = userInfo().username;
  const host = hostname().split('.')[0]!;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  writeFileSync(
    env.SLURM_CONF!,
    [
      'ClusterName=onesim',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmUser=${user}`,
      `SlurmdUser=${user}`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${join(sock, 'munge.socket')}`,
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      // No cgroups, no accounting database: what a container or CI machine allows.
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'SchedulerType=sched/builtin',
      // Start dependent jobs (the merge) within a second or two, not the default minute.
      'SchedulerParameters=sched_interval=1',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'MpiDefault=none',
      'ReturnToService=2',
      `NodeName=onesim-node NodeHostname=${host} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} State=UNKNOWN`,
      'PartitionName=onesim Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const children: SupervisedChild[] = [];
  const start = (file: string, args: string[]) => {
    const c = spawnSupervised(file, args, { env, cwd: dir });
    c.process.stdout.resume();
    c.process.stderr.resume();
    children.push(c);
  };
  const logs = () =>
    ['munged.log', 'slurmctld.log', 'slurmd.log']
      .map((f) => `--- ${f}\n${tail(join(dir, f))}`)
      .join('\n');
  const stop = async () => {
    spawnSync('scancel', ['--user', user], { env, timeout: 10_000 });
    for (const c of children.reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  start('munged', [
    '--foreground',
    `--socket=${join(sock, 'munge.socket')}`,
    `--key-file=${key}`,
    `--log-file=${join(dir, 'munged.log')}`,
    `--pid-file=${join(dir, 'munged.pid')}`,
    `--seed-file=${join(dir, 'munged.seed')}`,
  ]);
  start('slurmctld', ['-D', '-c', '-i']);
  start('slurmd', ['-D', '-N', 'onesim-node']);
  const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
  let state = '';
  while (Date.now() < deadline) {
    const r = spawnSync('sinfo', ['--noheader', '--format=%t'], {
      env,
      encoding: 'utf8',
      timeout: 5_000,
    });
    state = (r.stdout ?? '').trim();
    if (r.status === 0 && state === 'idle') return { dir, env, logs, stop };
    await sleep(500);
  }
  const why = `the local Slurm node did not become idle in ${o.readyTimeoutMs ?? 30_000} ms (sinfo: ${JSON.stringify(state)})\n${logs()}`;
  await stop();
  throw new Error(why);
}

/** A job's state from scontrol (COMPLETED, FAILED, PENDING, …), or '' when unknown. */
export function jobState(env: NodeJS.ProcessEnv, id: string): string[] {
  const out = execFileSync('scontrol', ['show', 'job', id], {
    env,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return [...out.matchAll(/JobState=(\S+)/g)].map((m) => m[1]!);
}
