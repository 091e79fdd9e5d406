import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { spawnSupervised } from './supervise.ts';
import { processesTagged, waitFor } from './testing.ts';

const linux = process.platform === 'linux';
const here = new URL('.', import.meta.url).pathname;

/** A node process that starts `sleep 600` under the supervisor and prints the sleeper's pid. */
function parentWithSupervisedSleep(tag: string) {
  const code = `
    import { spawnSupervised } from './supervise.ts';
    const c = spawnSupervised('sleep', ['600']);
    c.process.stdout.resume();
    setTimeout(() => process.stdout.write('started\\n'), 300);
    setInterval(() => {}, 1000);
  `;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: here,
    env: { ...process.env, ONESIM_TEST_TAG: tag },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

describe.runIf(linux)('spawnSupervised', () => {
  it('the child dies when its parent is SIGKILLed (no orphan left)', async () => {
    const tag = randomUUID();
    const parent = parentWithSupervisedSleep(tag);
    await new Promise<void>((resolve) => parent.stdout!.once('data', () => resolve()));
    const sleepers = () => processesTagged(tag).filter((p) => p.command.startsWith('sleep'));
    expect(await waitFor(() => sleepers().length === 1, 5_000)).toBe(true);
    parent.kill('SIGKILL');
    expect(await waitFor(() => processesTagged(tag).length === 0, 10_000)).toBe(true);
  });

  it('ignores signals to the process group; stop() ends the child and reports its status', async () => {
    const tag = randomUUID();
    const c = spawnSupervised('sleep', ['600'], { env: { ...process.env, ONESIM_TEST_TAG: tag } });
    expect(await waitFor(() => processesTagged(tag).length === 2, 5_000)).toBe(true);
    // What a terminal's Ctrl-C or `timeout` sends to the group reaches the supervisor only.
    for (const s of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) c.process.kill(s);
    await new Promise((r) => setTimeout(r, 300));
    expect(processesTagged(tag)).toHaveLength(2);
    expect(await c.stop()).toBe(128 + 15);
    expect(processesTagged(tag)).toHaveLength(0);
  });

  it('exits with the child status when the child ends by itself, 127 when it cannot start', async () => {
    expect(await spawnSupervised('sh', ['-c', 'exit 7']).exited).toBe(7);
    expect(await spawnSupervised('/nonexistent/onesim-test', []).exited).toBe(127);
  });
});
