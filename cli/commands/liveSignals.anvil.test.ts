import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { processesTagged, waitFor } from '../../sim/process/testing.ts';

const root = new URL('../../', import.meta.url).pathname;

/** `onesim live random …` with a tag in its environment that every process it starts inherits. */
function startLive(tag: string, args: string[]) {
  const child = spawn(process.execPath, ['bin/onesim.js', 'live', 'random', ...args], {
    cwd: root,
    env: { ...process.env, ONESIM_TEST_TAG: tag },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => ({ stdout, stderr }) };
}

const anvilRunning = (tag: string) =>
  processesTagged(tag).some((p) => /\banvil\b/.test(p.command.split(' ')[0]!));

describe.runIf(process.platform === 'linux')('onesim live: no child outlives it', () => {
  it('SIGKILL: Anvil (and its supervisor) go with the command', async () => {
    const tag = randomUUID();
    const live = startLive(tag, ['--days', '60']);
    expect(await waitFor(() => anvilRunning(tag), 30_000), live.out().stderr).toBe(true);
    live.child.kill('SIGKILL');
    await live.exited;
    const gone = await waitFor(() => processesTagged(tag).length === 0, 10_000);
    expect(gone, JSON.stringify(processesTagged(tag))).toBe(true);
  });

  it('SIGTERM: stops after the current action, checks and prints what ran, exits 143, no child left', async () => {
    const tag = randomUUID();
    const live = startLive(tag, ['--days', '60', '--json']);
    expect(await waitFor(() => anvilRunning(tag), 30_000), live.out().stderr).toBe(true);
    // Let some actions reach the chain first.
    await new Promise((r) => setTimeout(r, 1_500));
    live.child.kill('SIGTERM');
    const code = await live.exited;
    const { stdout, stderr } = live.out();
    expect(code, stderr).toBe(143);
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ ok: true, interrupted: true, divergence: null });
    expect(processesTagged(tag)).toEqual([]);
  });
});
