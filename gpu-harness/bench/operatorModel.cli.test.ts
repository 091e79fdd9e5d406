import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/runCli.ts';

const root = new URL('../../', import.meta.url).pathname;
// In process, through main as bin/onesim.js calls it: output and exit codes are the subject.
const onesim = (args: string[]) => runCli(args);
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

// Written by the official ONNX Python package (fixtures/make_fixtures.py), not by onesim.
const fixture = 'gpu-harness/models/fixtures/operator-cnn.onnx';
const unsupported = 'gpu-harness/models/fixtures/unsupported-op.onnx';

describe('bench inference --model FILE.onnx (an operator’s own model)', () => {
  it('a dynamic input without --shape exits 2 naming it; bad files exit 2 with the reason', async () => {
    const missing = await onesim([
      'bench',
      'inference',
      '--model',
      fixture,
      '--scenario',
      'offline',
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--shape: input "pixels" has dynamic dims [batch, 3, 16, 16]');
    expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);
    const wrong = await onesim([
      'bench',
      'inference',
      '--model',
      fixture,
      '--scenario',
      'offline',
      '--shape',
      'pixels=1x4x16x16',
    ]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('does not fit the declared dims');
    const op = await onesim([
      'bench',
      'inference',
      '--model',
      unsupported,
      '--scenario',
      'offline',
    ]);
    expect(op.status).toBe(2);
    expect(op.stderr).toMatch(/onnxruntime cannot load .*Frobnicate/);
    const junk = await onesim([
      'bench',
      'inference',
      '--model',
      'package.json.onnx',
      '--scenario',
      'offline',
    ]);
    expect(junk.status).toBe(2);
    expect(junk.stderr).toContain('cannot read package.json.onnx (ENOENT)');
    const notOnnx = join(mkdtempSync(join(tmpdir(), 'onesim-byo-')), 'text.onnx');
    writeFileSync(notOnnx, 'these bytes are not a protobuf model at all');
    const text = await onesim(['bench', 'inference', '--model', notOnnx, '--scenario', 'offline']);
    expect(text.status).toBe(2);
    expect(text.stderr).toContain('is not an ONNX model');
  });

  it('benchmarks with receipts, verifies and re-executes exactly like a zoo model', async () => {
    const out = mkdtempSync(join(tmpdir(), 'onesim-byo-'));
    const r = await onesim([
      'bench',
      'inference',
      '--model',
      fixture,
      '--shape',
      'pixels=2x3x16x16',
      '--scenario',
      'single-stream',
      '--duration-ms',
      '0',
      '--out',
      out,
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const bench = lastJson(r.stdout);
    const sha = createHash('sha256')
      .update(readFileSync(join(root, fixture)))
      .digest('hex');
    expect(bench.model).toMatchObject({ name: 'operator-cnn', id: sha, parameterCount: 260 });
    // Conv 2·8·16·16 outputs × 27 + Gemm 2·4 outputs × 8, twice for FLOPs; 1 CU per 200k FLOPs.
    expect(bench.model.flopsPerQuery).toBe(2 * (2 * 8 * 256 * 27 + 2 * 4 * 8));
    expect(bench.model.cost).toEqual({ per: 'request', cu: 2 });
    expect(bench.firstInference.output.dims).toEqual([2, 4]);
    expect(bench.compute.gflopsPerSecond).toBeGreaterThan(0);
    const receipts = join(out, 'receipts.jsonl');
    const v = await onesim(['verify', receipts, '--sample-rate', '1', '--json']);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    const verdict = lastJson(v.stdout);
    expect(verdict.reexecuted).toBe(verdict.receipts);
    const lines = readFileSync(receipts, 'utf8').trim().split('\n');
    const line = JSON.parse(lines[5]!);
    line.output.values[0] += 0.25;
    lines[5] = JSON.stringify(line);
    writeFileSync(receipts, `${lines.join('\n')}\n`);
    const bad = await onesim(['verify', receipts, '--sample-rate', '0']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/FAILED at index 5: output-digest/);
  });

  it('takes inputs from a JSON file, binds them into the receipts, and --cu prices them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onesim-byo-'));
    const inputs = join(dir, 'inputs.json');
    const sample = (k: number) => ({
      pixels: Array.from({ length: 3 * 16 * 16 }, (_, i) => Math.sin(i + k)),
      offset: [[0, 0.5, k, 1]],
    });
    writeFileSync(inputs, JSON.stringify([sample(1), sample(2)]));
    const out = join(dir, 'run');
    const r = await onesim([
      'bench',
      'inference',
      '--model',
      fixture,
      '--shape',
      'pixels=1x3x16x16',
      '--inputs',
      inputs,
      '--cu',
      '7',
      '--scenario',
      'offline',
      '--target-qps',
      '50',
      '--duration-ms',
      '0',
      '--out',
      out,
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const bench = lastJson(r.stdout);
    expect(bench.model.cost).toEqual({ per: 'request', cu: 7 });
    expect(bench.model.source).toMatchObject({ cuFrom: 'flag', inputsFile: { path: inputs } });
    const v = await onesim(['verify', join(out, 'receipts.jsonl'), '--sample-rate', '1']);
    expect(v.status, v.stdout).toBe(0);
    writeFileSync(inputs, JSON.stringify([sample(3), sample(2)]));
    const moved = await onesim(['verify', join(out, 'receipts.jsonl'), '--sample-rate', '0']);
    expect(moved.status).toBe(1);
    expect(moved.stdout).toMatch(/FAILED at index 0: (model-hash|request-digest)/);
    const badInputs = await onesim([
      'bench',
      'inference',
      '--model',
      fixture,
      '--shape',
      'pixels=1x3x16x16',
      '--inputs',
      join(root, 'package.json'),
      '--scenario',
      'offline',
    ]);
    expect(badInputs.status).toBe(2);
    expect(badInputs.stderr).toContain('--inputs:');
  });
});
