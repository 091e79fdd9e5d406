import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/runCli.ts';

// In process, through the function bin/onesim.js calls: these cases are about the command's
// output and exit code; liveSignals and liveInfra run `onesim live` as a process of its own.
const onesim = (...args: string[]) => runCli(args);
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('onesim live', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-live-cli-'));

  it('runs the random scenario on a local Anvil and prints one JSON object last (exit 0)', async () => {
    const r = await onesim(
      'live',
      'random',
      '--days',
      '1',
      '--seed',
      '4',
      '--check-every',
      '50',
      '--out',
      dir,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({
      ok: true,
      divergence: null,
      command: 'onesim live random --days 1 --seed 4 --check-every 50',
    });
    // More than one check point (every 50 actions) besides the last. (Seed 4 draws one of the
    // live generator's verification runs since ed446eb: 82 actions in its day.)
    expect(out.actions).toBeGreaterThan(50);
    expect(out.checks).toBeGreaterThan(1);
    expect(out.gasPerType.map((g: { type: string }) => g.type)).toContain('startDay');
  });

  it('runs a named scenario, scaled down, and records seed, commit, params and figures', async () => {
    const r = await onesim(
      'live',
      'baseline',
      '--days',
      '1',
      '--scale',
      '0.1',
      '--seed',
      '1',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({
      ok: true,
      divergence: null,
      interrupted: false,
      scenario: 'baseline',
      seed: 1,
      days: 1,
      scale: 0.1,
      simulation: { status: 'completed', modelMatchesSimulation: true },
      command: 'onesim live baseline --days 1 --seed 1 --scale 0.1 --check-every 100',
    });
    expect(out.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(out.params.dayMs).toBe(86_400_000);
    expect(out.actionsPerSec).toBeGreaterThan(0);
    expect(out.onChain).toBeGreaterThan(100);
    expect(Object.keys(out.chainAcceptedByType)).toEqual(
      expect.arrayContaining(['stake', 'startDay', 'reserve', 'settle', 'auditVerdict']),
    );
  });

  it('rejects a bad --scale, or --scale where nothing is scaled (exit 2, naming the flag)', async () => {
    for (const args of [
      ['baseline', '--scale', '2'],
      ['baseline', '--scale', '0'],
      ['random', '--scale', '0.5'],
    ]) {
      const r = await onesim('live', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--scale');
    }
  });

  it('runs the harness scenario: real inferences, receipts signed by the worker, settled on chain', async () => {
    const r = await onesim('live', 'harness', '--jobs', '8', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({
      ok: true,
      divergence: null,
      scenario: 'harness',
      command: 'onesim live harness --model mlp-s --jobs 8 --seed 1 --check-every 100',
    });
    expect(out.chainAcceptedByType.settle).toBeGreaterThan(0);
    const bad = await onesim('live', 'harness', '--model', 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--model');
  });

  it('replays an action file (the replay-file format)', async () => {
    const file = join(dir, 'actions.json');
    const a = '0x0000000100000000000000000000000000000001';
    const actions = [
      {
        atMs: 0,
        action: { type: 'deposit', account: a, asset: 'one', amount: '5000000000000000000000' },
      },
      { atMs: 0, action: { type: 'stake', holder: a, amountOneWei: '2000000000000000000000' } },
      { atMs: 0, action: { type: 'startDay', day: 0 } },
      { atMs: 3_000, action: { type: 'unstake', holder: a, amountOneWei: '1' } },
    ];
    writeFileSync(file, JSON.stringify({ params: { kycRequired: false }, actions }));
    const r = await onesim('live', file, '--check-every', '1', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ ok: true, actions: 4, checks: 5 });
  });

  it('refuses a non-loopback --rpc without --allow-remote (exit 2, naming the flag)', async () => {
    for (const url of ['http://203.0.113.7:8545', 'http://127.0.0.1.nip.io:8545']) {
      const r = await onesim('live', 'random', '--rpc', url);
      expect(r.status, url).toBe(2);
      expect(r.stderr).toContain('--allow-remote');
    }
  });

  it('rejects a bad key file without printing any key (exit 2)', async () => {
    const file = join(dir, 'keys.json');
    const secret = `0x${'ab'.repeat(31)}`; // 31 bytes: malformed
    writeFileSync(file, JSON.stringify([secret, secret, secret, secret, secret]));
    const r = await onesim('live', 'random', '--key-file', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('entry 0');
    expect(r.stderr + r.stdout).not.toContain(secret.slice(2));
  });

  it('rejects an unknown scenario (exit 2)', async () => {
    const r = await onesim('live', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('scenario');
  });
});
