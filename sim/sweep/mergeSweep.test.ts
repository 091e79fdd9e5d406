import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { loadScenario } from '../../scenarios/loadScenario.ts';
import { aggregateSweep } from './aggregateSweep.ts';
import { mergeSweep } from './mergeSweep.ts';
import { parseGridFlag } from './parseGrid.ts';
import { parseSeeds } from './parseSeeds.ts';
import { runSweep } from './runSweep.ts';
import { prepareSweep } from './sweep.ts';
import { SweepSpecError } from './sweepErrors.ts';
import { syntheticRun, writeSyntheticShards } from './testing/syntheticShards.ts';
import { workList } from './workList.ts';
import { writeSweepOutputs } from './writeSweepOutputs.ts';

const root = mkdtempSync(join(tmpdir(), 'onesim-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => {
  const d = join(root, `${name}-${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

const scenario = await loadScenario('baseline');
const setup = (
  o: { seeds?: string; commit?: string; days?: number; scale?: number; grid?: string } = {},
) =>
  prepareSweep({
    scenario,
    seeds: parseSeeds(o.seeds ?? '1..6'),
    grid: [parseGridFlag(o.grid ?? 'params.takeRate.num=5,10')],
    days: o.days ?? 2,
    scale: o.scale ?? 0.01,
    commit: o.commit ?? 'c0',
  });
const { spec, cells } = setup();
const list = workList(cells.length, spec.seeds);
const allRuns = Array.from({ length: list.total }, (_, i) => {
  const { cell, seed } = list.runAt(i);
  return syntheticRun(cell, seed, spec.days);
});
const outputs = ['sweep.json', 'runs.jsonl', 'runs.csv', 'runs.json', 'aggregate.json'];

/** What one machine writes for these runs: sweep.json, canonical runs.jsonl, then the outputs. */
function oneMachine(): string {
  const dir = fresh('one');
  writeFileSync(join(dir, 'sweep.json'), `${JSON.stringify(spec, null, 2)}\n`);
  writeFileSync(join(dir, 'runs.jsonl'), allRuns.map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeSweepOutputs({ dir, spec, cells });
  return dir;
}

const shards3 = (dir = fresh('shards'), s = setup()) => {
  writeSyntheticShards({ dir, spec: s.spec, cells: s.cells, shards: 3 });
  return dir;
};
const refusal = (f: () => unknown): SweepSpecError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SweepSpecError);
    return e as SweepSpecError;
  }
  throw new Error('expected a SweepSpecError');
};
const jsonl = (dir: string, k: number) => join(dir, `shard-${k}-of-3.jsonl`);
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

describe('mergeSweep', () => {
  const reference = oneMachine();

  it('joins 3 shards into the bytes one machine writes; the aggregate equals the in-memory one', () => {
    const dir = shards3();
    const r = mergeSweep({ dirs: [dir], out: dir });
    expect(r.shards.map((s) => s.runs)).toEqual([4, 4, 4]);
    for (const f of outputs)
      expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(reference, f), 'utf8'));
    expect(r.aggregate).toEqual(aggregateSweep(spec, cells, [...allRuns].reverse()));
  });

  it('reads shards from several folders, a file out of order, and a shard found twice (kept once)', () => {
    const a = shards3();
    const b = fresh('b');
    for (const k of [1, 2]) {
      for (const ext of ['json', 'jsonl'])
        cpSync(join(a, `shard-${k}-of-3.${ext}`), join(b, `shard-${k}-of-3.${ext}`));
    }
    rmSync(join(a, 'shard-2-of-3.json'));
    rmSync(jsonl(a, 2));
    // A shard killed after its last run but before it sorted its file.
    writeFileSync(jsonl(b, 2), `${lines(jsonl(b, 2)).reverse().join('\n')}\n`);
    const out = fresh('out');
    const r = mergeSweep({ dirs: [a, b], out });
    expect(r.repeated).toBe(4);
    for (const f of outputs)
      expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(reference, f), 'utf8'));
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    ['commit', { commit: 'c1' }],
    ['seeds', { seeds: '1..7' }],
    ['grid', { grid: 'params.takeRate.num=5,20' }],
    ['days', { days: 3 }],
    ['scale', { scale: 0.02 }],
  ])('refuses a shard whose %s differs, naming its file', (field, change) => {
    const a = shards3();
    const b = fresh('other');
    shards3(b, setup(change));
    rmSync(join(b, 'shard-0-of-3.json'));
    rmSync(join(a, 'shard-1-of-3.json'));
    const e = refusal(() => mergeSweep({ dirs: [a, b], out: fresh('out') }));
    expect(e.field).toMatch(/other-\d+\/shard-[12]-of-3\.json$/);
    expect(e.message).toContain(`${field} differs`);
  });

  it('refuses a shard built with other parameters under the same commit (params hash)', () => {
    const a = shards3();
    const path = join(a, 'shard-1-of-3.json');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...m, paramsHash: `sha256:${'0'.repeat(64)}` }));
    const e = refusal(() => mergeSweep({ dirs: [a], out: a }));
    expect(e.field).toBe(path);
    expect(e.message).toContain('params hash differs');
  });

  it('names missing runs by index: a shard that never ran, and runs a shard lacks', () => {
    const a = shards3();
    rmSync(join(a, 'shard-2-of-3.json'));
    rmSync(jsonl(a, 2));
    const kept = lines(jsonl(a, 1));
    writeFileSync(jsonl(a, 1), `${kept.slice(0, 2).join('\n')}\n`);
    const e = refusal(() => mergeSweep({ dirs: [a], out: a }));
    expect(e.field).toBe(jsonl(a, 1));
    expect(e.message).toContain('6 of 12 runs missing');
    expect(e.message).toContain('lacks 2 of its 4 runs: #7 (cell 1, seed 2), #10 (cell 1, seed 5)');
    expect(e.message).toContain('no shard-2-of-3.json in');
    expect(e.message).toContain('#2 (cell 0, seed 3), #5 (cell 0, seed 6)');
    expect(readdirSync(a).filter((f) => !f.startsWith('shard-'))).toEqual([]);
  });

  it('treats a last line torn by a kill as a missing run; a damaged line elsewhere is refused', () => {
    const a = shards3();
    const text = readFileSync(jsonl(a, 0), 'utf8');
    writeFileSync(jsonl(a, 0), text.slice(0, text.length - 40));
    const e = refusal(() => mergeSweep({ dirs: [a], out: a }));
    expect(e.message).toContain('lacks 1 of its 4 runs: #9 (cell 1, seed 4)');
    const b = shards3();
    const l = lines(jsonl(b, 0));
    writeFileSync(jsonl(b, 0), `${[l[0], l[1]!.slice(0, 50), ...l.slice(2)].join('\n')}\n`);
    const d = refusal(() => mergeSweep({ dirs: [b], out: b }));
    expect(d.field).toBe(`${jsonl(b, 0)}:2`);
    expect(d.message).toContain('damaged');
  });

  it('refuses a line of another shard and two different results for one run, naming file:line', () => {
    const a = shards3();
    appendFileSync(jsonl(a, 1), `${lines(jsonl(a, 0))[0]}\n`);
    const e = refusal(() => mergeSweep({ dirs: [a], out: a }));
    expect(e.field).toBe(`${jsonl(a, 1)}:5`);
    expect(e.message).toContain('run #0 belongs to shard 0/3, not 1/3');

    const b = shards3();
    const c = fresh('copy');
    cpSync(join(b, 'shard-0-of-3.json'), join(c, 'shard-0-of-3.json'));
    const l = lines(jsonl(b, 0));
    l[1] = l[1]!.replace('"status":"completed"', '"status":"stopped"');
    writeFileSync(jsonl(c, 0), `${l.join('\n')}\n`);
    const d = refusal(() => mergeSweep({ dirs: [b, c], out: fresh('out') }));
    expect(d.field).toBe(`${jsonl(c, 0)}:2`);
    expect(d.message).toContain('run #3 (cell 0, seed 4) differs from');
  });

  it('refuses an output folder that holds another sweep', () => {
    const a = shards3();
    const out = fresh('out');
    writeFileSync(join(out, 'sweep.json'), JSON.stringify({ ...spec, days: 9 }));
    const e = refusal(() => mergeSweep({ dirs: [a], out }));
    expect(e.field).toBe(join(out, 'sweep.json'));
  });
});

describe('a shard rerun at another commit', () => {
  it('leaves a finished shard as it is; refuses to add runs of another commit to one not finished', async () => {
    const a = shards3();
    const later = setup({ commit: 'c1' });
    const shard = { index: 1, count: 3 };
    const done = await runSweep({ dir: a, spec: later.spec, cells: later.cells, shard });
    expect(done).toMatchObject({ total: 4, skipped: 4, ran: 0, commitChanged: 'c0' });
    writeFileSync(jsonl(a, 1), `${lines(jsonl(a, 1)).slice(0, 3).join('\n')}\n`);
    await expect(runSweep({ dir: a, spec: later.spec, cells: later.cells, shard })).rejects.toThrow(
      `${join(a, 'shard-1-of-3.json')}: shard 1/3 was started at commit c0, this is c1, and 1 of its runs remain`,
    );
    // Another sweep in the same files is refused whatever is left.
    const other = setup({ days: 3 });
    await expect(runSweep({ dir: a, spec: other.spec, cells: other.cells, shard })).rejects.toThrow(
      'days differs',
    );
  });
});

describe('onesim sweep merge (in process)', () => {
  const run = async (...args: string[]) => cli('sweep', 'merge', ...args);
  const cli = async (...args: string[]) => {
    let stderr = '';
    let stdout = '';
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      stderr += String(s);
      return true;
    });
    const o = vi.spyOn(console, 'log').mockImplementation((s) => {
      stdout += `${s}\n`;
    });
    try {
      const code = await main(['node', 'onesim', ...args]);
      return { code, stderr, stdout };
    } finally {
      e.mockRestore();
      o.mockRestore();
      process.exitCode = undefined;
    }
  };

  it('exits 0 with a JSON line; 2 naming the file, the folder or --out', async () => {
    const a = shards3();
    const ok = await run(a, '--no-report', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      runs: 12,
      repeated: 0,
    });

    rmSync(jsonl(a, 2));
    const missing = await run(a, '--no-report');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`onesim: ${jsonl(a, 2)}: 4 of 12 runs missing`);

    const other = fresh('other');
    shards3(other, setup({ commit: 'c9' }));
    const mixed = await run(a, other, '--out', fresh('out'));
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(
      /shard-0-of-3\.json: a shard of a different sweep .*commit differs/,
    );

    expect((await run(a, other)).stderr).toContain('--out: give an output folder');
    const nowhere = await run(join(root, 'no-such-folder'));
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no-such-folder: not a folder');
  });

  it('--no-shard runs the whole sweep under a scheduler array; a bad index exits 2 naming its variable', async () => {
    const slurm = { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' };
    const saved = { ...process.env };
    Object.assign(process.env, slurm);
    try {
      const out = fresh('no-shard');
      const args = ['sweep', 'baseline', '--seeds', '1', '--days', '1', '--scale', '0.01'];
      const r = await cli(
        ...args,
        '--no-shard',
        '--no-report',
        '--threads',
        '1',
        '--out',
        out,
        '--json',
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({ total: 1, runs: 1 });
      expect(readdirSync(out).sort()).toEqual([
        'aggregate.json',
        'runs.csv',
        'runs.json',
        'runs.jsonl',
        'sweep.json',
      ]);
      process.env.SLURM_ARRAY_TASK_ID = '2';
      const bad = await cli(...args, '--out', fresh('bad-index'));
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(
        'SLURM_ARRAY_TASK_ID: SLURM_ARRAY_TASK_ID=2: shard index 2 is not in 0..1',
      );
    } finally {
      for (const k of Object.keys(slurm)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
