import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/runCli.ts';
import { parseCapacityProfile } from '../profile/capacityProfile.ts';

// In process, through main as bin/onesim.js calls it: output and exit codes are the subject.
const onesim = (args: string[]) => runCli(['bench', 'inference', ...args]);

describe('onesim bench inference (CLI)', () => {
  it('prints figures and the reproduce command; --json puts one object on the last line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'onesim-bench-'));
    const r = await onesim([
      '--model',
      'cnn-s',
      '--scenario',
      'single-stream',
      '--ep',
      'cuda',
      '--duration-ms',
      '100',
      '--min-queries',
      '64',
      '--out',
      out,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]!);
    expect(result.valid).toBe(true);
    expect(result.runtime).toMatchObject({
      requestedProvider: 'cuda',
      provider: 'cpu',
      ortVersion: '1.30.0',
    });
    expect(result.gitCommit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(result.parameters).toMatchObject({ seed: 1, minQueries: 64, outDir: out });
    expect(result.firstInference.model).toBe(result.model.id);
    expect(r.stdout).toContain(
      `reproduce: node bin/onesim.js bench inference --model cnn-s --scenario single-stream --ep cuda`,
    );
    const saved = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(saved.command).toBe(result.command);
    const profile = parseCapacityProfile(readFileSync(join(out, 'capacity-profile.json'), 'utf8'));
    expect(profile.entries).toHaveLength(1);
    expect(profile.entries[0]).toMatchObject({
      modelName: 'cnn-s',
      scenario: 'single-stream',
      provider: 'cpu',
    });
  });

  it('exits 1 when the run is invalid per LoadGen rules', async () => {
    const out = mkdtempSync(join(tmpdir(), 'onesim-bench-'));
    const r = await onesim([
      '--model',
      'mlp-s',
      '--scenario',
      'single-stream',
      '--duration-ms',
      '0',
      '--min-queries',
      '10',
      '--max-queries',
      '10',
      '--out',
      out,
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/result is INVALID: early stopping needs 64 queries/);
  });

  it('exits 2 naming the bad flag and value', async () => {
    const r = await onesim([
      '--model',
      'mlp-s',
      '--scenario',
      'single-stream',
      '--duration-ms',
      'soon',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--duration-ms: expected an integer in 0..86400000, got "soon"');
    const m = await onesim(['--model', 'nope', '--scenario', 'offline']);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain(
      '--model: expected one of mlp-s|cnn-s|tinylm-s|resnet50|bert-base|gpt2-small, got "nope"',
    );
  });
});
