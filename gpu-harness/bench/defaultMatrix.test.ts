import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadgenScenarios } from '../loadgen/testSettings.ts';
import { reducedZoo } from '../models/reducedZoo.ts';
import { listModels, loadSpec } from '../models/registry.ts';
import { loadReceiptKeys } from '../receipts/receiptKeys.ts';
import { benchInference } from './benchInference.ts';
import { benchDefaults, inFlightDefault } from './benchParameters.ts';
import { writeBenchOutputs } from './writeBenchOutputs.ts';

/**
 * Every zoo model × every scenario with default flags, only the minimum duration shortened:
 * the toy zoo through the CLI, the realistic zoo's builders at toy size through the same
 * library call the CLI makes (full size is minutes per run on a CPU; see gpu-harness/README.md).
 */
const root = new URL('../../', import.meta.url).pathname;
const durationMs = 200;
// A Server run needs 838 queries whatever the duration; on a loaded 2-core machine that is a minute.
const cellTimeoutMs = 300_000;

/**
 * A Server cell whose load generator was starved by other processes on this shared machine
 * (its own check says so: "the client, not the system, limited this run") is run again, twice at
 * most. A third starved run is reported as skipped with the generator's own reason — the check
 * worked, but the machine could not give the cell a fair run; any other failure fails the test.
 *
 * A run whose latency percentile went over its bound is also run again, twice at most: the plan
 * asks for half the pilot's rate, which this machine meets with room to spare alone, but a
 * stall of the virtual machine (seen once in CI, 2026-12-07: p50 15 ms, p99 72 ms against a
 * 50 ms bound; the same cell then passed alone twice) can push p99 over. A third such run fails.
 */
const starvedText = /the client, not the system, limited this run/;
const latencyOverText = /p\d+(\.\d+)? latency [\d.]+ ms > bound/;
async function retryIfStarved<T>(run: () => Promise<T> | T, text: (r: T) => string): Promise<T> {
  let result = await run();
  for (
    let retry = 0;
    retry < 2 && (starvedText.test(text(result)) || latencyOverText.test(text(result)));
    retry++
  )
    result = await run();
  return result;
}

/**
 * A Server cell with defaults runs its plan's 838 queries at half the pilot's Offline rate: about
 * 10 s for the slower toy models, three times that when a starved run is repeated. `npm test`
 * runs mlp-s's, and the realistic builders' (a vision and a text-generation model) below: the
 * same default Server plan, smaller; `npm run test:long` (ONESIM_LONG_TESTS=1) runs every model's.
 */
const long = process.env.ONESIM_LONG_TESTS === '1';
const serverInDefaultSuite = new Set(['mlp-s']);

describe('the default matrix', () => {
  for (const spec of listModels().filter((s) => !s.pinnedId)) {
    for (const scenario of loadgenScenarios) {
      const title = `onesim bench inference --model ${spec.name} --scenario ${scenario}: exit 0, a valid result`;
      const inThisRun = long || scenario !== 'server' || serverInDefaultSuite.has(spec.name);
      it.runIf(inThisRun)(title, { timeout: cellTimeoutMs }, async (ctx) => {
        const out = mkdtempSync(join(tmpdir(), 'onesim-matrix-'));
        const args = [
          '--model',
          spec.name,
          '--scenario',
          scenario,
          '--duration-ms',
          `${durationMs}`,
        ];
        const r = await retryIfStarved(
          () =>
            spawnSync(
              process.execPath,
              ['bin/onesim.js', 'bench', 'inference', ...args, '--out', out],
              {
                cwd: root,
                encoding: 'utf8',
              },
            ),
          (x) => x.stdout,
        );
        if (starvedText.test(r.stdout)) {
          expect(r.status).toBe(1);
          ctx.skip(`three runs starved: ${/result is INVALID: .*/.exec(r.stdout)?.[0]}`);
        }
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
    for (const scenario of loadgenScenarios) {
      const title = `${spec.name} (a realistic builder at toy size), ${scenario}: a valid result with defaults`;
      it(title, { timeout: cellTimeoutMs }, async (ctx) => {
        const model = loadSpec(spec);
        const outDir = mkdtempSync(join(tmpdir(), 'onesim-matrix-'));
        const bench = await retryIfStarved(
          () =>
            benchInference({
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
                outDir,
              },
            }),
          (b) => b.result?.validity.reasons.join('; ') ?? '',
        );
        writeBenchOutputs(bench, outDir);
        const reasons = bench.result?.validity.reasons.join('; ') ?? '';
        if (starvedText.test(reasons)) ctx.skip(`three runs starved: ${reasons}`);
        expect(bench.result?.validity.reasons).toEqual([]);
        expect(bench.valid).toBe(true);
        expect(bench.compute!.gflopsPerSecond).toBeGreaterThan(0);
        if (spec.textGen)
          expect(bench.result!.timePerOutputToken!.count).toBe(bench.result!.queriesCompleted);
      });
    }
  }
});
