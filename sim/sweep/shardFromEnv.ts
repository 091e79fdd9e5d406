import { SweepSpecError } from './sweepErrors.ts';
import { checkShard, parseShardFlag, type Shard } from './workList.ts';

export interface ResolveShardParameters {
  /** `--shard K/N`; wins over the environment. */
  shard?: string;
  /** `--shards N`: the number of shards where the scheduler does not say it (Kubernetes). */
  shards?: number;
  env: Readonly<Record<string, string | undefined>>;
}

export interface ShardChoice {
  shard: Shard;
  /** Where the index came from: `--shard` or the scheduler's variable(s). */
  source: string;
}

const schedulers = [
  { name: 'Kubernetes Indexed Job', variable: 'JOB_COMPLETION_INDEX' },
  { name: 'Slurm job array', variable: 'SLURM_ARRAY_TASK_ID' },
  { name: 'AWS Batch array job', variable: 'AWS_BATCH_JOB_ARRAY_INDEX' },
] as const;

function intVar(env: ResolveShardParameters['env'], name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v.trim()))
    throw new SweepSpecError(name, `${JSON.stringify(v)} is not a whole number`);
  return Number(v.trim());
}

function agree(shards: number | undefined, count: number, from: string): void {
  if (shards !== undefined && shards !== count)
    throw new SweepSpecError('--shards', `${shards}, but ${from} says ${count}`);
}

function kubernetes(p: ResolveShardParameters): ShardChoice {
  const index = intVar(p.env, 'JOB_COMPLETION_INDEX')!;
  if (p.shards === undefined)
    throw new SweepSpecError(
      '--shards',
      `JOB_COMPLETION_INDEX=${index} is set (a Kubernetes Indexed Job): give --shards N, the Job's completions`,
    );
  return {
    shard: checkShard('JOB_COMPLETION_INDEX', `JOB_COMPLETION_INDEX=${index}`, index, p.shards),
    source: 'JOB_COMPLETION_INDEX',
  };
}

function slurm(p: ResolveShardParameters): ShardChoice {
  const id = intVar(p.env, 'SLURM_ARRAY_TASK_ID')!;
  const count = intVar(p.env, 'SLURM_ARRAY_TASK_COUNT');
  if (count === undefined)
    throw new SweepSpecError('SLURM_ARRAY_TASK_COUNT', 'not set beside SLURM_ARRAY_TASK_ID');
  const min = intVar(p.env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
  const max = intVar(p.env, 'SLURM_ARRAY_TASK_MAX') ?? min + count - 1;
  const step = intVar(p.env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
  if (step !== 1 || max - min + 1 !== count)
    throw new SweepSpecError(
      'SLURM_ARRAY_TASK_COUNT',
      `${count} tasks from ${min} to ${max} (step ${step}): submit a contiguous array such as --array=0-${count - 1}`,
    );
  agree(p.shards, count, 'SLURM_ARRAY_TASK_COUNT');
  return {
    shard: checkShard('SLURM_ARRAY_TASK_ID', `SLURM_ARRAY_TASK_ID=${id}`, id - min, count),
    source: 'SLURM_ARRAY_TASK_ID',
  };
}

function awsBatch(p: ResolveShardParameters): ShardChoice {
  const index = intVar(p.env, 'AWS_BATCH_JOB_ARRAY_INDEX')!;
  const size = intVar(p.env, 'AWS_BATCH_JOB_ARRAY_SIZE');
  if (size === undefined && p.shards === undefined)
    throw new SweepSpecError(
      '--shards',
      `AWS_BATCH_JOB_ARRAY_INDEX=${index} is set without AWS_BATCH_JOB_ARRAY_SIZE: give --shards N, the array size`,
    );
  if (size !== undefined) agree(p.shards, size, 'AWS_BATCH_JOB_ARRAY_SIZE');
  const count = size ?? p.shards!;
  return {
    shard: checkShard(
      'AWS_BATCH_JOB_ARRAY_INDEX',
      `AWS_BATCH_JOB_ARRAY_INDEX=${index}`,
      index,
      count,
    ),
    source: 'AWS_BATCH_JOB_ARRAY_INDEX',
  };
}

/**
 * Which slice of the work list this process runs: `--shard K/N`, else the scheduler's array
 * index (Kubernetes `JOB_COMPLETION_INDEX` with `--shards N`, Slurm `SLURM_ARRAY_TASK_ID` −
 * `SLURM_ARRAY_TASK_MIN` of `SLURM_ARRAY_TASK_COUNT`, AWS Batch `AWS_BATCH_JOB_ARRAY_INDEX` of
 * `AWS_BATCH_JOB_ARRAY_SIZE`), else null: the whole sweep. Throws SweepSpecError naming the flag
 * or variable.
 */
export function resolveShard(p: ResolveShardParameters): ShardChoice | null {
  if (p.shard !== undefined) {
    const shard = parseShardFlag(p.shard);
    agree(p.shards, shard.count, `--shard ${p.shard}`);
    return { shard, source: '--shard' };
  }
  const present = schedulers.filter((s) => (p.env[s.variable] ?? '') !== '');
  if (present.length > 1)
    throw new SweepSpecError(
      present.map((s) => s.variable).join(', '),
      `set together (${present.map((s) => s.name).join(' and ')}); give --shard K/N`,
    );
  if (present.length === 0) {
    if (p.shards !== undefined)
      throw new SweepSpecError(
        '--shards',
        `${p.shards} without a shard index: use --shard K/N, or run under a scheduler that sets ${schedulers.map((s) => s.variable).join(', ')}`,
      );
    return null;
  }
  switch (present[0]!.variable) {
    case 'JOB_COMPLETION_INDEX':
      return kubernetes(p);
    case 'SLURM_ARRAY_TASK_ID':
      return slurm(p);
    default:
      return awsBatch(p);
  }
}
