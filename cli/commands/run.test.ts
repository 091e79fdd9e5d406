import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/runCli.ts';

const onesim = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/onesim.js', ...args], { encoding: 'utf8' });
// In process, through main as bin/onesim.js calls it, where separate processes are not the point.
const inProcess = (...args: string[]) => runCli(args);
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

const tiny = {
  name: 'tiny-file',
  question: 'Does a user’s own scenario file run?',
  days: 1,
  treasuryGenesisUsdc: 20_000,
  models: [{ name: 'chat-s', cuPerRequest: 400, weight: 1 }],
  holders: { count: 40, jobsPerDayMedian: 10 },
  sponsors: { count: 1, reservationHours: 6 },
  workers: { count: 3 },
};

describe('onesim run / replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-run-'));
  const scenarioFile = join(dir, 'tiny.json');
  writeFileSync(scenarioFile, JSON.stringify(tiny));

  it('gives byte-identical summary.json and trace in separate processes; replay reproduces the hash', () => {
    const a = onesim('run', scenarioFile, '--seed', '7', '--out', join(dir, 'a'), '--json');
    const b = onesim('run', scenarioFile, '--seed', '7', '--out', join(dir, 'b'));
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(b.stdout).toContain('all hold');
    const summary = lastJson(a.stdout);
    expect(summary).toMatchObject({ scenario: 'tiny-file', seed: '7', status: 'completed' });
    expect(summary.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(summary.params.takeRate).toEqual({ num: '5', den: '100' });
    for (const f of ['summary.json', 'metrics.csv', 'trace.jsonl.gz'])
      expect(readFileSync(join(dir, 'b', f)).equals(readFileSync(join(dir, 'a', f))), f).toBe(true);
    const r = onesim('replay', join(dir, 'a', 'trace.jsonl.gz'), '--json');
    expect(r.status).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ matches: true, stateHash: summary.finalStateHash });
  });

  it('--check-determinism compares two runs day by day', async () => {
    const r = await inProcess(
      'run',
      scenarioFile,
      '--seed',
      '2',
      '--out',
      join(dir, 'c'),
      '--check-determinism',
      '--no-trace',
      '--json',
    );
    expect(r.status).toBe(0);
    expect(lastJson(r.stdout).determinism).toEqual({ matches: true, firstDifferentDay: null });
  });

  it('refuses bad input with exit 2 naming the field', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...tiny, holders: { count: -1 } }));
    const bad = await inProcess('run', join(dir, 'bad.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('holders.count');
    expect((await inProcess('run', 'no-such-scenario')).status).toBe(2);
    expect((await inProcess('run', scenarioFile, '--days', '0')).stderr).toContain('--days');
    writeFileSync(join(dir, 'garbage.gz'), 'not gzip');
    expect((await inProcess('replay', join(dir, 'garbage.gz'))).status).toBe(2);
  });

  it('replay exits 1 when a trace does not reproduce its recorded hash', async () => {
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const text = gunzipSync(readFileSync(join(dir, 'a', 'trace.jsonl.gz'))).toString('utf8');
    const lines = text.trim().split('\n');
    const i = lines.findIndex((l) => l.includes('"fundTreasury"'));
    lines[i] = lines[i]!.replace(
      /"amountMicroUsdc":"(\d+)"/,
      (_m, v) => `"amountMicroUsdc":"${BigInt(v) - 1n}"`,
    );
    writeFileSync(join(dir, 'tampered.gz'), gzipSync(`${lines.join('\n')}\n`));
    const r = await inProcess('replay', join(dir, 'tampered.gz'), '--json');
    expect(r.status).toBe(1);
    expect(lastJson(r.stdout).matches).toBe(false);
  });
});
