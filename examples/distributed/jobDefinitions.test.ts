import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../cli/commands/run.ts';
import { buildProgram } from '../../cli/main.ts';
import { parseGridFlag } from '../../sim/sweep/parseGrid.ts';
import { parseSeeds } from '../../sim/sweep/parseSeeds.ts';
import { resolveShard } from '../../sim/sweep/shardFromEnv.ts';
import { prepareSweep } from '../../sim/sweep/sweep.ts';

/**
 * The Kubernetes and AWS Batch definitions cannot run here (no cluster, no container engine), so
 * they are read: their onesim arguments parse with the real CLI, every array index picks its own
 * shard of the right count, the sweep is valid for its scenario, and the merge reads the folder
 * the shards write, on the volume they mount.
 */
const here = join('examples', 'distributed');
const read = (f: string) => readFileSync(join(here, f), 'utf8');

interface Parsed {
  command: string;
  args: string[];
  opts: Record<string, unknown>;
}

/** Parses argv with onesim's own program, stopping before the command's action runs. */
async function parseCli(argv: string[]): Promise<Parsed> {
  const program = await buildProgram(['node', 'onesim', ...argv]);
  let parsed: Parsed | null = null;
  const stop = new Error('parsed');
  program.hook('preAction', (_root, action) => {
    parsed = {
      command: `${action.parent?.name() === 'onesim' ? '' : `${action.parent?.name()} `}${action.name()}`,
      args: action.args,
      opts: action.opts(),
    };
    throw stop;
  });
  await expect(program.parseAsync(['node', 'onesim', ...argv])).rejects.toBe(stop);
  return parsed!;
}

/** The sweep a shard's arguments describe, validated as `onesim sweep` would (grid keys included). */
async function checkSweep(p: Parsed): Promise<{ runs: number }> {
  expect(p.command).toBe('sweep');
  const scenario = await resolveScenario(p.args[0]!);
  const seeds = parseSeeds(p.opts.seeds as string);
  const grid = (p.opts.grid as string[]).map(parseGridFlag);
  const { cells } = prepareSweep({
    scenario,
    seeds,
    grid,
    days: Number(p.opts.days),
    scale: 1,
    commit: 'x',
  });
  return { runs: cells.length * seeds.length };
}

/** A container's `args:` written as a YAML flow sequence of quoted strings (JSON but for a trailing comma). */
const yamlArgs = (text: string): string[] => {
  const m = /^\s*args:\s*(\[[^\]]*\])/m.exec(text);
  expect(m, 'an args: [...] sequence').not.toBeNull();
  return JSON.parse(m![1]!.replace(/,\s*\]$/, ']'));
};
const yamlInt = (text: string, key: string): number => {
  const m = new RegExp(`^\\s*${key}:\\s*(\\d+)\\s*$`, 'm').exec(text);
  expect(m, key).not.toBeNull();
  return Number(m![1]);
};

describe('the Kubernetes Indexed Job', () => {
  const job = read('kubernetes/sweep-job.yaml');
  const merge = read('kubernetes/merge-job.yaml');
  const pvc = read('kubernetes/pvc.yaml');

  it('runs shard k of --shards = completions in pod k, on the shared volume', async () => {
    expect(job).toMatch(/^\s*completionMode: Indexed\s*$/m);
    expect(job).toMatch(/^\s*podReplacementPolicy: Failed\s*$/m);
    const completions = yamlInt(job, 'completions');
    const shard = await parseCli(yamlArgs(job));
    await checkSweep(shard);
    expect(Number(shard.opts.shards)).toBe(completions);
    for (let k = 0; k < completions; k++)
      expect(
        resolveShard({
          shards: Number(shard.opts.shards),
          env: { JOB_COMPLETION_INDEX: String(k) },
        }),
      ).toEqual({ shard: { index: k, count: completions }, source: 'JOB_COMPLETION_INDEX' });
    const mount = /mountPath: (\S+) \}/.exec(job)?.[1];
    expect((shard.opts.out as string).startsWith(`${mount}/`)).toBe(true);

    const m = await parseCli(yamlArgs(merge));
    expect(m.command).toBe('sweep merge');
    expect(m.args).toEqual([shard.opts.out]);
    const claim = (t: string) => /claimName: ([\w-]+)/.exec(t)?.[1];
    const pvcName = /^\s*name: ([\w-]+)\s*$/m.exec(pvc)?.[1];
    expect(claim(job)).toBe(pvcName);
    expect(claim(merge)).toBe(pvcName);
    expect(/mountPath: (\S+) \}/.exec(merge)?.[1]).toBe(mount);
  });
});

describe('the AWS Batch array job', () => {
  const sweepDef = JSON.parse(read('aws-batch/sweep-job-definition.json'));
  const mergeDef = JSON.parse(read('aws-batch/merge-job-definition.json'));
  // AWS Batch replaces a command element "Ref::name" with the job's parameter `name`.
  const command = (def: {
    parameters: Record<string, string>;
    containerProperties: { command: string[] };
  }) =>
    def.containerProperties.command.map((a) =>
      a.startsWith('Ref::') ? def.parameters[a.slice(5)]! : a,
    );

  it('child k of the array runs shard k of AWS_BATCH_JOB_ARRAY_SIZE; the merge job reads their folder', async () => {
    const shard = await parseCli(command(sweepDef));
    await checkSweep(shard);
    expect(shard.opts.shards).toBeUndefined();
    for (const k of [0, 1, 31])
      expect(
        resolveShard({
          env: { AWS_BATCH_JOB_ARRAY_INDEX: String(k), AWS_BATCH_JOB_ARRAY_SIZE: '32' },
        }),
      ).toEqual({ shard: { index: k, count: 32 }, source: 'AWS_BATCH_JOB_ARRAY_INDEX' });
    const m = await parseCli(command(mergeDef));
    expect(m.command).toBe('sweep merge');
    expect(m.args).toEqual([shard.opts.out]);
    for (const def of [sweepDef, mergeDef]) {
      const path = def.containerProperties.mountPoints[0].containerPath;
      expect((shard.opts.out as string).startsWith(`${path}/`)).toBe(true);
    }
    expect(mergeDef.containerProperties.volumes).toEqual(sweepDef.containerProperties.volumes);
    // submit.sh passes the same folder to both jobs and makes the merge wait for the array.
    const submit = read('aws-batch/submit.sh');
    expect(submit.match(/--parameters "\{\\"out\\": \\"\$out\\"\}"/g)).toHaveLength(2);
    expect(submit).toMatch(/--array-properties "size=\$ONESIM_SHARDS"/);
    expect(submit).toMatch(/--depends-on "jobId=\$array"/);
  });
});

describe('the container recipe', () => {
  it('installs the tarball npm pack makes of this version, and says CI does not build it', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const file = read('container/Containerfile');
    expect(file).toContain(`COPY ${pkg.name}-${pkg.version}.tgz /tmp/`);
    expect(file).toContain(`npm install --global --omit=dev /tmp/${pkg.name}-${pkg.version}.tgz`);
    expect(file).toMatch(/ENTRYPOINT \["onesim"\]/);
    expect(file).toMatch(/CI does NOT build this file/);
  });
});
