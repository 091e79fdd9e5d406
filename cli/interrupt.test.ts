import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../sim/process/testing.ts';

const root = new URL('../', import.meta.url).pathname;

/** Starts `onesim …`, sends `signal` once `ready()` holds, and resolves with what it printed. */
async function interrupted(args: string[], ready: () => boolean, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, ['bin/onesim.js', ...args], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  expect(await waitFor(ready, 60_000), stderr).toBe(true);
  child.kill(signal);
  const code = await exited;
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  expect(lastLine, `exit ${code}; stderr: ${stderr}`).toMatch(/^\{/);
  return { code, stdout, stderr, last: JSON.parse(lastLine) };
}

const lines = (path: string) =>
  existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : [];

describe('an interrupted command keeps its results and exits 128 + the signal (130 on Ctrl-C)', () => {
  it('sweep: SIGINT after the first finished run → exit 130, runs.jsonl kept, stopped: true', async () => {
    const out = mkdtempSync(join(tmpdir(), 'onesim-sweep-int-'));
    const runs = join(out, 'runs.jsonl');
    const r = await interrupted(
      [
        'sweep',
        'baseline',
        '--seeds',
        '1..100',
        '--days',
        '1',
        '--scale',
        '0.05',
        '--threads',
        '1',
        '--out',
        out,
        '--json',
      ],
      () => lines(runs).length > 0,
      'SIGINT',
    );
    expect(r.code, r.stderr).toBe(130);
    expect(r.last).toMatchObject({ stopped: true });
    expect(lines(runs).length).toBeGreaterThan(0);
    expect(lines(runs).length).toBeLessThan(100);
  });

  it('run: SIGTERM mid-run → exit 143, summary.json written with status interrupted', async () => {
    const out = mkdtempSync(join(tmpdir(), 'onesim-run-int-'));
    const r = await interrupted(
      ['run', 'baseline', '--days', '60', '--out', out, '--no-report', '--json'],
      () => readdirSync(out).some((f) => f.startsWith('trace.jsonl.gz.tmp')),
      'SIGTERM',
    );
    expect(r.code, r.stderr).toBe(143);
    expect(r.last).toMatchObject({ status: 'interrupted' });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('interrupted');
  });
});

describe('onesim --help', () => {
  it('documents the exit codes 0, 1, 2 and 130', () => {
    const r = spawnSync(process.execPath, ['bin/onesim.js', '--help'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    for (const code of [
      '0    ok',
      '1    a check failed',
      '2    bad input',
      '130  interrupted by Ctrl-C',
    ])
      expect(r.stdout).toContain(code);
  });
});
