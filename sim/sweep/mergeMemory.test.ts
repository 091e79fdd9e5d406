import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenarios/loadScenario.ts';
import { parseGridFlag } from './parseGrid.ts';
import { parseSeeds } from './parseSeeds.ts';
import { prepareSweep } from './sweep.ts';
import { writeSyntheticShards } from './testing/syntheticShards.ts';

/**
 * The merge holds the aggregate and one cell's numbers, never the runs: 10,000 small runs (100
 * cells × 100 seeds, 20 days each, 4 shards) merge under a heap that cannot hold them parsed (a
 * process that only parses and keeps them needs more, measured here as the control).
 */
const heapMiB = 48;
const here = new URL('.', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'onesim-merge-memory-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('merging 10,000 runs', () => {
  it(`fits a ${heapMiB} MiB heap that the parsed runs alone overflow`, {
    timeout: 300_000,
  }, async () => {
    const { spec, cells } = prepareSweep({
      scenario: await loadScenario('baseline'),
      seeds: parseSeeds('1..100'),
      grid: [
        parseGridFlag('params.takeRate.num=1,2,3,4,5,6,7,8,9,10'),
        parseGridFlag('sponsors.count=1,2,3,4,5,6,7,8,9,10'),
      ],
      days: 20,
      scale: 0.1,
      commit: 'memory-test',
    });
    expect(cells.length * spec.seeds.length).toBe(10_000);
    writeSyntheticShards({ dir: root, spec, cells, shards: 4 });

    // Control: keeping the parsed runs needs more heap than the merge is given.
    const hold = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '-e',
        `const fs = require('fs'); const kept = [];
         for (const f of fs.readdirSync(${JSON.stringify(root)}).filter((f) => f.endsWith('.jsonl')))
           for (const l of fs.readFileSync(${JSON.stringify(root)} + '/' + f, 'utf8').split('\\n'))
             if (l) kept.push(JSON.parse(l));
         global.gc(); console.log(kept.length, process.memoryUsage().heapUsed / 2 ** 20);`,
      ],
      { encoding: 'utf8' },
    );
    const heldMiB = Number(hold.stdout.trim().split(' ')[1]);
    expect(hold.status, hold.stderr).toBe(0);
    expect(heldMiB).toBeGreaterThan(heapMiB);

    const code = `
      import { mergeSweep } from './mergeSweep.ts';
      const r = mergeSweep({ dirs: [${JSON.stringify(root)}], out: ${JSON.stringify(root)} });
      console.log(JSON.stringify({ runs: r.aggregate.runs }));
    `;
    const merge = spawnSync(
      process.execPath,
      [`--max-old-space-size=${heapMiB}`, '--import', 'tsx', '--input-type=module', '-e', code],
      { cwd: here, encoding: 'utf8' },
    );
    expect(merge.status, merge.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(merge.stdout.trim().split('\n').at(-1)!)).toMatchObject({ runs: 10_000 });
    const lines = readFileSync(join(root, 'runs.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(10_000);
    expect(statSync(join(root, 'aggregate.json')).size).toBeGreaterThan(0);
  });
});
