import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { resolveShard } from './shardFromEnv.ts';
import { SweepSpecError } from './sweepErrors.ts';
import { inShard, parseShardFlag, shardSize, workList } from './workList.ts';

const seed = Number(process.env.ONESIM_FC_SEED ?? 20261121);

describe('the canonical work list and its shards', () => {
  test.prop([fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 })], { seed })(
    'N shards partition the runs: each run in exactly one, shard sizes as shardSize says',
    (total, count) => {
      const owners = Array.from({ length: total }, () => 0);
      let sum = 0;
      for (let k = 0; k < count; k++) {
        const mine = owners.map((_, i) => i).filter((i) => inShard(i, { index: k, count }));
        for (const i of mine) owners[i]! += 1;
        expect(mine.length).toBe(shardSize(total, { index: k, count }));
        sum += mine.length;
      }
      expect(owners.every((o) => o === 1)).toBe(true);
      expect(sum).toBe(total);
    },
  );

  it('orders runs cell by cell, seeds ascending; indexOf inverts runAt', () => {
    const list = workList(3, [2, 5, 9]);
    expect(list.total).toBe(9);
    expect(Array.from({ length: 9 }, (_, i) => list.runAt(i))).toEqual(
      [0, 1, 2].flatMap((cell) =>
        [2, 5, 9].map((s, j) => ({ index: cell * 3 + j, cell, seed: s })),
      ),
    );
    for (let i = 0; i < 9; i++)
      expect(list.indexOf(list.runAt(i).cell, list.runAt(i).seed)).toBe(i);
    expect(list.indexOf(0, 3)).toBe(-1);
    expect(list.indexOf(3, 2)).toBe(-1);
    expect(() => workList(1, [3, 2])).toThrow(SweepSpecError);
  });

  it('--shard K/N counts K from 0; a bad one names --shard and the value', () => {
    expect(parseShardFlag('3/4')).toEqual({ index: 3, count: 4 });
    expect(parseShardFlag(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    for (const bad of ['4/4', '1/0', 'a/4', '1', '-1/4', '1/4/2'])
      expect(() => parseShardFlag(bad), bad).toThrow(/^--shard: /);
    expect(() => parseShardFlag('4/4')).toThrow('shard index 4 is not in 0..3');
  });
});

describe('resolveShard: --shard, else the scheduler array index', () => {
  const env = (e: Record<string, string>) => resolveShard({ env: e });

  it('is null (the whole sweep) without --shard or a scheduler variable', () => {
    expect(env({ PATH: '/bin' })).toBeNull();
  });

  it('--shard wins over the environment; --shards must agree with it', () => {
    expect(
      resolveShard({
        shard: '1/3',
        env: { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '5' },
      }),
    ).toEqual({ shard: { index: 1, count: 3 }, source: '--shard' });
    expect(() => resolveShard({ shard: '1/3', shards: 4, env: {} })).toThrow(/^--shards: 4/);
  });

  it('Kubernetes: JOB_COMPLETION_INDEX of --shards', () => {
    for (let k = 0; k < 4; k++)
      expect(resolveShard({ shards: 4, env: { JOB_COMPLETION_INDEX: String(k) } })).toEqual({
        shard: { index: k, count: 4 },
        source: 'JOB_COMPLETION_INDEX',
      });
    expect(() => env({ JOB_COMPLETION_INDEX: '2' })).toThrow(
      /^--shards: JOB_COMPLETION_INDEX=2 is set/,
    );
    expect(() => resolveShard({ shards: 4, env: { JOB_COMPLETION_INDEX: '4' } })).toThrow(
      /^JOB_COMPLETION_INDEX: /,
    );
    expect(() => resolveShard({ shards: 4, env: { JOB_COMPLETION_INDEX: 'x' } })).toThrow(
      'JOB_COMPLETION_INDEX: "x" is not a whole number',
    );
  });

  it('Slurm: SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT', () => {
    const slurm = (id: number, min: number, count: number) => ({
      SLURM_ARRAY_TASK_ID: String(id),
      SLURM_ARRAY_TASK_MIN: String(min),
      SLURM_ARRAY_TASK_MAX: String(min + count - 1),
      SLURM_ARRAY_TASK_COUNT: String(count),
      SLURM_ARRAY_TASK_STEP: '1',
    });
    for (let id = 1; id <= 4; id++)
      expect(env(slurm(id, 1, 4))).toEqual({
        shard: { index: id - 1, count: 4 },
        source: 'SLURM_ARRAY_TASK_ID',
      });
    expect(env({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })?.shard).toEqual({
      index: 2,
      count: 4,
    });
    expect(() => env({ SLURM_ARRAY_TASK_ID: '2' })).toThrow(/^SLURM_ARRAY_TASK_COUNT: not set/);
    // --array=0,2,4: not contiguous, an index would fall outside 0..count-1.
    expect(() =>
      env({ ...slurm(2, 0, 3), SLURM_ARRAY_TASK_MAX: '4', SLURM_ARRAY_TASK_STEP: '2' }),
    ).toThrow(/contiguous array/);
    expect(() => resolveShard({ shards: 3, env: slurm(1, 0, 4) })).toThrow(
      '--shards: 3, but SLURM_ARRAY_TASK_COUNT says 4',
    );
  });

  it('AWS Batch: AWS_BATCH_JOB_ARRAY_INDEX of AWS_BATCH_JOB_ARRAY_SIZE (or --shards)', () => {
    expect(env({ AWS_BATCH_JOB_ARRAY_INDEX: '7', AWS_BATCH_JOB_ARRAY_SIZE: '8' })).toEqual({
      shard: { index: 7, count: 8 },
      source: 'AWS_BATCH_JOB_ARRAY_INDEX',
    });
    expect(resolveShard({ shards: 8, env: { AWS_BATCH_JOB_ARRAY_INDEX: '3' } })?.shard).toEqual({
      index: 3,
      count: 8,
    });
    expect(() => env({ AWS_BATCH_JOB_ARRAY_INDEX: '3' })).toThrow(/^--shards: /);
    expect(() => env({ AWS_BATCH_JOB_ARRAY_INDEX: '8', AWS_BATCH_JOB_ARRAY_SIZE: '8' })).toThrow(
      /^AWS_BATCH_JOB_ARRAY_INDEX: /,
    );
  });

  it('two schedulers at once are refused, naming both variables', () => {
    expect(() =>
      env({
        JOB_COMPLETION_INDEX: '1',
        AWS_BATCH_JOB_ARRAY_INDEX: '1',
        AWS_BATCH_JOB_ARRAY_SIZE: '2',
      }),
    ).toThrow(/^JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX: set together/);
    expect(() => resolveShard({ shards: 2, env: {} })).toThrow(
      /^--shards: 2 without a shard index/,
    );
  });
});
