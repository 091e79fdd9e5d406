import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/runCli.ts';

// In process, through main as bin/onesim.js calls it: output and exit codes are the subject.
const onesim = (args: string[]) => runCli(args);

describe('onesim bench engine', () => {
  it('--json prints one JSON record as the last stdout line', async () => {
    const run = await onesim([
      'bench',
      'engine',
      '--servers',
      '4',
      '--rho',
      '0.7',
      '--customers',
      '200000',
      '--seed',
      '9',
      '--json',
    ]);
    expect(run.status).toBe(0);
    const record = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(record).toMatchObject({
      seed: '9',
      servers: 4,
      rho: 0.7,
      customers: 200_000,
      checked: false,
      passed: true,
    });
    expect(record.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    for (const key of [
      'customersPerSec',
      'eventsPerSec',
      'waitQueueMeanMsSimulated',
      'waitQueueMeanMsErlangC',
      'relativeError',
    ]) {
      expect(Number.isFinite(record[key])).toBe(true);
    }
    expect(Math.abs(record.relativeError)).toBeLessThan(0.15);
    expect(record.command).toContain('--servers 4 --rho 0.7 --customers 200000 --seed "9"');
  });

  it('prints a readable report without --json', async () => {
    const run = await onesim(['bench', 'engine', '--customers', '1e5', '--seed', 'abc']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/customers\/s/);
    expect(run.stdout).toMatch(/Wq Erlang C/);
  });

  it('exits 1 when the agreement check fails', async () => {
    const run = await onesim([
      'bench',
      'engine',
      '--customers',
      '50000',
      '--tolerance',
      '1e-9',
      '--json',
    ]);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      checked: true,
      passed: false,
    });
  });

  it.each([
    [['--rho', '1.5'], '--rho="1.5"'],
    [['--servers', 'two'], '--servers="two"'],
    [['--customers', '10.5'], '--customers="10.5"'],
  ])('exits 2 on bad input %j, naming the flag and value', async (args, named) => {
    const run = await onesim(['bench', 'engine', ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(named);
    expect(run.stdout).toBe('');
  });
});
