import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../loadgen/testSettings.ts';
import { reducedZoo } from '../models/reducedZoo.ts';
import { listModels, loadSpec } from '../models/registry.ts';
import { loadReceiptKeys } from '../receipts/receiptKeys.ts';
import { benchInference } from './benchInference.ts';
import { benchDefaults, defaultOutDir, inFlightDefault } from './benchParameters.ts';
import { writeBenchOutputs } from './writeBenchOutputs.ts';

/**
 * Every zoo model × every scenario with default flags, only the minimum duration shortened:
 * the toy zoo through the CLI, the realistic zoo's builders at toy size through the same
 * library call the CLI makes (full size is minutes per run on a CPU; see gpu-harness/README.md).
 */
const root = new URL('../../', import.meta.url).pathname;
const durationMs = 200;

describe('the default matrix', () => {
  for (const spec of listModels().filter((s) => !s.pinnedId)) {
    for (const scenario of scenarios) {
      it(`onesim bench inference --model ${spec.name} --scenario ${scenario}: exit 0, a valid result`, () => {
        const out = mkdtempSync(join(tmpdir(), 'onesim-matrix-'));
        const r = spawnSync(
          process.execPath,
          [
            'bin/onesim.js',
            'bench',
            'inference',
            '--model',
            spec.name,
            '--scenario',
            scenario,
            '--duration-ms',
            `${durationMs}`,
            '--out',
            out,
          ],
          { cwd: root, encoding: 'utf8' },
        );
        expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
        expect(r.stderr).not.toMatch(/Error|at .*:\d+:\d+/);
        const saved = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
        expect(saved.valid).toBe(true);
        expect(saved.result.queriesCompleted).toBeGreaterThanOrEqual(saved.plan.minQueries);
      });
    }
  }

  const keys = loadReceiptKeys({ keyFile: null, allowEphemeral: true, env: {} });
  for (const spec of reducedZoo()) {
    for (const scenario of scenarios) {
      it(`${spec.name} (a realistic builder at toy size), ${scenario}: a valid result with defaults`, async () => {
        const model = loadSpec(spec);
        const outDir = mkdtempSync(join(tmpdir(), 'onesim-matrix-'));
        const bench = await benchInference({
          model,
          keys,
          gitCommit: 'test',
          parameters: {
            ...benchDefaults,
            modelName: spec.name,
            modelFile: null,
            scenario,
            minDurationMs: durationMs,
            minQueries: null,
            targetQps: null,
            latencyBoundMs: null,
            lagBoundMs: null,
            peakGflops: null,
            inFlightPerWorker: inFlightDefault[scenario],
            keyFile: null,
            outDir:
              outDir ?? defaultOutDir({ modelName: spec.name, scenario, provider: 'cpu', seed: 1 }),
          },
        });
        writeBenchOutputs(bench, outDir);
        expect(bench.result?.validity.reasons).toEqual([]);
        expect(bench.valid).toBe(true);
        expect(bench.compute!.gflopsPerSecond).toBeGreaterThan(0);
        if (spec.textGen)
          expect(bench.result!.timePerOutputToken!.count).toBe(bench.result!.queriesCompleted);
      });
    }
  }
});
