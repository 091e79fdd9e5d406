import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../scenarios/loadScenario.ts';
import { parseGridFlag } from './parseGrid.ts';
import { parseSeeds } from './parseSeeds.ts';
import { prepareSweep } from './sweep.ts';
import { writeSyntheticShards } from './testing/syntheticShards.ts';

/**
 * `onesim sweep merge` of 1,000, 10,000 and 100,000 small runs (2 days each, 4 shards, made-up
 * numbers: the merge only reads lines), in a fresh process each: wall time and peak RSS. Memory
 * should follow the aggregate (cells × metrics × days) and one cell's numbers, not the runs.
 */
const here = new URL('.', import.meta.url).pathname;

function measure(dir: string): { ms: number; maxRssMiB: number } {
  const code = `
    import { mergeSweep } from './mergeSweep.ts';
    const t = performance.now();
    mergeSweep({ dirs: [${JSON.stringify(dir)}], out: ${JSON.stringify(dir)} });
    const ms = performance.now() - t;
    console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: here,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

export default async function (): Promise<void> {
  const scenario = await loadScenario('baseline');
  const grid = [parseGridFlag('params.takeRate.num=5,10')];
  for (const seeds of [500, 5_000, 50_000]) {
    const dir = mkdtempSync(join(tmpdir(), 'onesim-merge-bench-'));
    try {
      const { spec, cells } = prepareSweep({
        scenario,
        seeds: parseSeeds(`1..${seeds}`),
        grid,
        days: 2,
        scale: 0.1,
        commit: 'bench',
      });
      writeSyntheticShards({ dir, spec, cells, shards: 4 });
      const r = measure(dir);
      const mib = statSync(join(dir, 'runs.jsonl')).size / 2 ** 20;
      console.log(
        `merge ${seeds * 2} runs (2 cells, 4 shards, runs.jsonl ${mib.toFixed(1)} MiB): ${(r.ms / 1000).toFixed(2)} s, peak RSS ${r.maxRssMiB.toFixed(0)} MiB`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('command: npm run bench -- mergeSweep');
}
