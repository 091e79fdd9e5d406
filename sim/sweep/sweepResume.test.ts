import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/runCli.ts';

// 40 seeds: enough for a kill to land mid-sweep with runs on both sides of it (the property does
// not depend on the count; 100 seeds made this the suite's slowest file).
const seeds = 40;
const args = (out: string) => [
  'bin/onesim.js',
  'sweep',
  'baseline',
  '--seeds',
  `1..${seeds}`,
  '--days',
  '1',
  '--scale',
  '0.01',
  '--threads',
  '2',
  '--no-report',
  '--out',
  out,
  '--json',
];
const lines = (dir: string) =>
  existsSync(join(dir, 'runs.jsonl'))
    ? readFileSync(join(dir, 'runs.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
    : [];
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

async function killMidway(out: string): Promise<number> {
  const child = spawn(process.execPath, args(out), { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  while (lines(out).length < 10 && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return lines(out).length;
}

describe(`onesim sweep: ${seeds} seeds of baseline at tiny scale`, () => {
  const root = mkdtempSync(join(tmpdir(), 'onesim-sweep-'));

  it('resumes after being killed without redoing finished runs; outputs equal an uninterrupted sweep', async () => {
    const whole = join(root, 'whole');
    const a = spawnSync(process.execPath, args(whole), { encoding: 'utf8' });
    expect(a.status, a.stderr).toBe(0);
    expect(lastJson(a.stdout)).toMatchObject({ total: seeds, ran: seeds, skipped: 0, runs: seeds });

    const resumed = join(root, 'resumed');
    const before = await killMidway(resumed);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(seeds);
    const kept = lines(resumed).slice(0, before);
    const b = spawnSync(process.execPath, args(resumed), { encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    const out = lastJson(b.stdout);
    // A line torn by the kill is dropped and that run redone; every whole line is kept as it was.
    const whole2 = kept.filter((l) => l.endsWith('}'));
    expect(out.skipped).toBeGreaterThanOrEqual(whole2.length - 1);
    expect(out.skipped + out.ran).toBe(seeds);
    const after = lines(resumed);
    expect(after).toHaveLength(seeds);
    expect(new Set(after.map((l) => JSON.parse(l).seed)).size).toBe(seeds);
    // Finished lines are kept byte for byte; the file ends in canonical (cell, seed) order.
    for (const line of whole2.slice(0, out.skipped)) expect(after).toContain(line);
    expect(after.map((l) => JSON.parse(l).seed)).toEqual(
      Array.from({ length: seeds }, (_, i) => i + 1),
    );
    for (const f of ['runs.jsonl', 'runs.csv', 'runs.json', 'aggregate.json', 'sweep.json'])
      expect(readFileSync(join(resumed, f), 'utf8'), f).toBe(readFileSync(join(whole, f), 'utf8'));
  }, 120_000);

  it('refuses a bad grid key with exit 2 naming it', async () => {
    const r = await runCli([
      'sweep',
      'baseline',
      '--grid',
      'params.noSuchParam=1,2',
      '--out',
      join(root, 'bad'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('params.noSuchParam');
    const v = await runCli([
      'sweep',
      'baseline',
      '--grid',
      'params.takeRate.num=500',
      '--out',
      join(root, 'bad2'),
    ]);
    expect(v.status).toBe(2);
    expect(v.stderr).toContain('takeRate');
  });
});
