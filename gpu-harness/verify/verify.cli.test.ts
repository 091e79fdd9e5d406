import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/runCli.ts';

const root = new URL('../../', import.meta.url).pathname;
// In process, through main as bin/onesim.js calls it: output and exit codes are the subject.
const onesim = (args: string[]) => runCli(args);

let dir: string;
let receipts: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onesim-verify-'));
  const bench = await onesim([
    'bench',
    'inference',
    '--model',
    'mlp-s',
    '--scenario',
    'single-stream',
    '--duration-ms',
    '0',
    '--min-queries',
    '64',
    '--max-queries',
    '64',
    '--receipt-signing',
    'batch',
    '--batch-size',
    '16',
    '--out',
    dir,
  ]);
  expect(bench.stdout).toContain('ephemeral keys: receipts not attributable');
  receipts = readFileSync(join(dir, 'receipts.jsonl'), 'utf8').trim().split('\n');
  expect(receipts).toHaveLength(64);
});

const write = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

describe('onesim verify (CLI)', () => {
  it('exits 0 on an honest file; --json puts the verdict on the last line', async () => {
    const r = await onesim([
      'verify',
      join(dir, 'receipts.jsonl'),
      '--sample-rate',
      '0.25',
      '--seed',
      '3',
      '--json',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('OK: signatures, chains, digests and model hashes check out');
    const out = r.stdout.trim().split('\n');
    const verdict = JSON.parse(out[out.length - 1]!);
    expect(verdict).toMatchObject({
      ok: true,
      receipts: 64,
      failure: null,
      signing: { batched: 64, batches: 4 },
    });
    expect(verdict.reexecuted).toBe(verdict.sampled.length);
  });

  it('exits 1 naming the first bad index and the kind', async () => {
    const tampered = [...receipts];
    const line = JSON.parse(tampered[9]!);
    line.output.values[3] = 42;
    tampered[9] = JSON.stringify(line);
    const r = await onesim(['verify', write('tampered.jsonl', tampered), '--json']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAILED at index 9: output-digest/);
    const deleted = receipts.filter((_, i) => i !== 20);
    const d = await onesim(['verify', write('deleted.jsonl', deleted)]);
    expect(d.status).toBe(1);
    expect(d.stdout).toMatch(/FAILED at index 20: deletion/);
  });

  it('the reproduce line keeps every flag that changed the verdict, --worker included', async () => {
    const worker = `0x${'12'.repeat(20)}`;
    const file = join(dir, 'receipts.jsonl');
    const r = await onesim([
      'verify',
      file,
      '--sample-rate',
      '0',
      '--seed',
      '5',
      '--worker',
      worker,
    ]);
    expect(r.status).toBe(1); // signed by the bench's ephemeral keys, not by that worker
    expect(r.stdout).toContain(
      `reproduce: onesim verify ${file} --sample-rate 0 --seed 5 --worker ${worker}`,
    );
  });

  it('exits 2 on unreadable or malformed input, naming the line and the field', async () => {
    const broken = [...receipts];
    const line = JSON.parse(broken[4]!);
    line.eip712.receipt.worker = 'nobody';
    broken[4] = JSON.stringify(line);
    const r = await onesim(['verify', write('broken.jsonl', broken)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.jsonl:5: eip712\.receipt\.worker: expected a 0x address/);
    const missing = await onesim(['verify', join(dir, 'nope.jsonl')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: cannot read \(ENOENT\)/);
    const rate = await onesim(['verify', join(dir, 'receipts.jsonl'), '--sample-rate', '2']);
    expect(rate.status).toBe(2);
    expect(rate.stderr).toContain('--sample-rate="2" must be <= 1');
  });
});

describe('onesim bench inference: Ctrl-C', () => {
  it('keeps finished queries and their receipts, marks the result interrupted, exits 130', async () => {
    const out = mkdtempSync(join(tmpdir(), 'onesim-sigint-'));
    const child = spawn(
      process.execPath,
      [
        'bin/onesim.js',
        'bench',
        'inference',
        '--model',
        'mlp-s',
        '--scenario',
        'single-stream',
        '--duration-ms',
        '60000',
        '--out',
        out,
      ],
      { cwd: root },
    );
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    // The temp receipts file appears once the run (and its SIGINT handler) is live.
    for (
      let i = 0;
      i < 300 && !readdirSync(out).some((f) => f.startsWith('receipts.jsonl.tmp'));
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(stdout).toContain('interrupted: finished queries and their receipts were kept');
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ interrupted: true, valid: false });
    expect(result.receipts.count).toBeGreaterThan(0);
    expect(existsSync(join(out, 'receipts.jsonl'))).toBe(true);
    const lines = readFileSync(join(out, 'receipts.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(result.receipts.count);
    expect(
      (await onesim(['verify', join(out, 'receipts.jsonl'), '--sample-rate', '0'])).status,
    ).toBe(0);
  });
});
