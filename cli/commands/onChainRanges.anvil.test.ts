import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/runCli.ts';

// In process, through main as bin/onesim.js calls it: output and exit codes are the subject.
const onesim = (...args: string[]) => runCli(args);
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);
const dir = mkdtempSync(join(tmpdir(), 'onesim-ranges-'));
const a = '0x0000000100000000000000000000000000000001';
const b = '0x0000000200000000000000000000000000000001';
const max256 = ((1n << 256n) - 1n).toString();

const file = (name: string, actions: unknown[]) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ params: { kycRequired: false }, actions }));
  return path;
};

describe('amounts the contracts cannot hold', () => {
  it('onesim apply: an amount ≥ 2^256 or units ≥ 2^64 exit 2 naming the field', async () => {
    const big = file('big.json', [
      {
        atMs: 0,
        action: { type: 'deposit', account: a, asset: 'one', amount: (1n << 256n).toString() },
      },
    ]);
    const r = await onesim('apply', big);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('actions.0.action.amount: must fit uint256');
    const units = file('units.json', [
      {
        atMs: 0,
        action: {
          type: 'submitJob',
          lane: 0,
          requester: a,
          model: `0x${'ab'.repeat(32)}`,
          units: (1n << 64n).toString(),
          requestHash: `0x${'cd'.repeat(32)}`,
        },
      },
    ]);
    const u = await onesim('apply', units);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('actions.0.action.units: must fit uint64');
  });

  it('a deposit past the token supply: the model and the contracts both refuse it (InvalidAmount)', async () => {
    const actions = [
      { atMs: 0, action: { type: 'deposit', account: a, asset: 'one', amount: max256 } },
      { atMs: 0, action: { type: 'deposit', account: b, asset: 'one', amount: '1' } },
      { atMs: 1_000, action: { type: 'withdraw', account: a, asset: 'one', amount: '1' } },
      { atMs: 1_000, action: { type: 'deposit', account: b, asset: 'one', amount: '1' } },
    ];
    const path = file('supply.json', actions);
    const applied = await onesim('apply', path, '--json');
    expect(applied.status).toBe(0);
    expect(lastJson(applied.stdout).rejections).toMatchObject([
      { index: 1, type: 'deposit', code: 'InvalidAmount' },
    ]);
    const live = await onesim('live', path, '--check-every', '1', '--json');
    expect(live.status, live.stderr).toBe(0);
    expect(lastJson(live.stdout)).toMatchObject({
      ok: true,
      divergence: null,
      chainRejectedByCode: { InvalidAmount: 1 },
    });
  });
});
