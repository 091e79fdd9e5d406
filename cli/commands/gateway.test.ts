import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const onesim = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/onesim.js', ...args], { encoding: 'utf8', timeout: 60_000 });
const key = () =>
  generateKeyPairSync('ed25519')
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');

/** Starts a gateway, waits for its first line, SIGINTs it; resolves to its stdout. */
function runBriefly(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/onesim.js', 'gateway', ...args]);
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (stdout.includes('\n')) p.kill('SIGINT');
    });
    p.on('exit', (code) => resolve({ code, stdout }));
  });
}

describe('onesim gateway: registration flags and logs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-gateway-cli-'));

  it('exits 2 naming the field for a bad --workers file, and for --workers with --open-registration', () => {
    const file = join(dir, 'workers.json');
    writeFileSync(file, JSON.stringify({ workers: [{ key: key(), models: ['gpt-9'] }] }));
    const r = onesim(
      'gateway',
      '--scenario',
      'baseline',
      '--model',
      'tinylm-s',
      '--port',
      '0',
      '--log',
      join(dir, 'unused.jsonl'),
      '--workers',
      file,
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /workers\.json: workers\.0\.models\.0: "gpt-9" is not served here \(tinylm-s\)/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const both = onesim(
      'gateway',
      '--scenario',
      'baseline',
      '--port',
      '0',
      '--workers',
      file,
      '--open-registration',
    );
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--workers and --open-registration/);
  });

  it('says which registration applies, and refuses to resume a corrupted log (exit 2, file:line, log untouched)', async () => {
    const log = join(dir, 'actions.jsonl');
    const first = await runBriefly([
      '--scenario',
      'baseline',
      '--model',
      'tinylm-s',
      '--port',
      '0',
      '--log',
      log,
    ]);
    expect(first.stdout).toMatch(/registration closed: every result will be refused/);
    const open = await runBriefly([
      '--scenario',
      'baseline',
      '--port',
      '0',
      '--log',
      log,
      '--open-registration',
    ]);
    expect(open.stdout).toMatch(
      /resumed from \d+ logged actions.*models tinylm-s; open registration/,
    );
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[2] = '{"kind":"action","atMs":0,"act';
    const damaged = lines.join('\n');
    writeFileSync(log, damaged);
    const r = onesim('gateway', '--scenario', 'baseline', '--port', '0', '--log', log);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${log}:3: not a JSON line`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(log, 'utf8')).toBe(damaged);
  });
});
