import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anvilKey } from '../../sim/live/accounts.ts';
import { processesTagged, waitFor } from '../../sim/process/testing.ts';
import { runCli } from '../testing/runCli.ts';

const root = new URL('../../', import.meta.url).pathname;
// In process (main, as bin/onesim.js calls it) where the case is about the command's output and
// exit code; Anvil dying mid-run runs `onesim live` as a process of its own.
const onesim = (...args: string[]) => runCli(args);
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

/** An infrastructure failure: exit 2, one line on stderr (no stack), a --json line with `error`. */
function expectInfrastructureFailure(r: { status: number | null; stdout: string; stderr: string }) {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('onesim:')),
  ).toHaveLength(1);
  return lastJson(r.stdout);
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('onesim live: infrastructure failures exit 2 with one line and the --json error', () => {
  it('an RPC URL where nothing listens', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const out = expectInfrastructureFailure(await onesim('live', 'random', '--rpc', url, '--json'));
    expect(out).toMatchObject({ ok: false, actions: 0, error: { kind: 'RpcError' } });
    expect(out.error.message).toMatch(/ECONNREFUSED/);
  });

  it('a --key-file with fewer keys than the run needs keeps what ran before', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'onesim-keys-')), 'keys.json');
    writeFileSync(file, JSON.stringify([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(anvilKey)));
    const r = await onesim('live', 'random', '--days', '1', '--key-file', file, '--json');
    const out = expectInfrastructureFailure(r);
    expect(out).toMatchObject({ ok: false, error: { kind: 'KeysExhaustedError' } });
    expect(out.error.message).toContain('fewer than 11 keys');
    // The actions before the failure were sent, mined and checked against the model.
    expect(out.actions).toBeGreaterThan(0);
    expect(out.checks).toBeGreaterThan(0);
    expect(out.transactions).toBeGreaterThan(0);
    expect(r.stdout).toContain('STOPPED after');
  });

  it.runIf(process.platform === 'linux')('Anvil dying mid-run', async () => {
    const tag = randomUUID();
    const child = spawn(
      process.execPath,
      ['bin/onesim.js', 'live', 'random', '--days', '60', '--json'],
      { cwd: root, env: { ...process.env, ONESIM_TEST_TAG: tag } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const anvil = () => processesTagged(tag).find((p) => /\/anvil$/.test(p.command.split(' ')[0]!));
    expect(await waitFor(() => anvil() !== undefined, 30_000), stderr).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000));
    process.kill(anvil()!.pid, 'SIGKILL');
    const out = expectInfrastructureFailure({ status: await exited, stdout, stderr });
    expect(out).toMatchObject({ ok: false, divergence: null, error: { kind: 'AnvilExited' } });
    expect(out.error.message).toMatch(/Anvil \(http:\/\/127\.0\.0\.1:\d+\) exited with status 137/);
    expect(out).toMatchObject({ scenario: 'random', seed: 1 });
    expect(out.command).toContain('onesim live random');
  });
});
