import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

// @viem/anvil's stop() arms a 15 s timer it never clears: a finished `onesim live` stayed alive
// until it fired. After startAnvil().stop() and Anvil's exit, nothing but the process's own
// handles is left (a fresh process, so the test runner's timers are not counted). Anvil dying on
// its own: cli/commands/liveInfra.anvil.test.ts, "Anvil dying mid-run".
describe('startAnvil().stop()', () => {
  it('leaves no timer holding the process open', () => {
    const script = `
      import { startAnvil } from './sim/live/anvil.ts';
      const anvil = await startAnvil();
      await anvil.stop();
      await anvil.exited;
      await new Promise((r) => setImmediate(r));
      console.log(JSON.stringify(process.getActiveResourcesInfo()));
    `;
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const left: string[] = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(left).not.toContain('Timeout');
  });

  // Anvil persists old blocks' states under $HOME/.foundry/anvil/tmp once a chain outgrows its
  // in-memory history, and a signal-stopped Anvil never removes them: 250 MB per 2-day live
  // baseline, 76 GB piled up on a development machine. The driver reads only 'latest'.
  it('leaves no state history on disk after a live run', () => {
    const home = mkdtempSync(join(tmpdir(), 'onesim-home-'));
    const out = mkdtempSync(join(tmpdir(), 'onesim-live-'));
    const r = spawnSync(
      process.execPath,
      ['bin/onesim.js', 'live', 'baseline', '--days', '2', '--out', out],
      { cwd: root, encoding: 'utf8', env: { ...process.env, HOME: home } },
    );
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    const dir = join(home, '.foundry', 'anvil', 'tmp');
    const left = existsSync(dir) ? readdirSync(dir) : [];
    rmSync(home, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
    expect(left).toEqual([]);
  });
});
