import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../sim/io/csv.ts';
import { LogHistogram } from '../../sim/metrics/logHistogram.ts';
import { round6 } from '../../sim/record/round6.ts';

const onesim = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/onesim.js', ...args], { encoding: 'utf8' });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);
const quick = ['--days', '1', '--no-trace', '--no-report', '--json'];

const tiny = {
  name: 'user-file',
  question: 'Does a user’s own scenario file load from any folder?',
  days: 1,
  treasuryGenesisUsdc: 20_000,
  models: [{ name: 'chat-s', cuPerRequest: 400, weight: 1 }],
  holders: { count: 30, jobsPerDayMedian: 10 },
  sponsors: { count: 1, reservationHours: 6 },
  workers: { count: 2 },
};

// A folder outside the repository with no package.json: Node treats its .ts files as CommonJS.
const dir = mkdtempSync(join(tmpdir(), 'onesim-user-'));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const schemaModule = resolve('sim/scenario/scenarioSchema.ts');

describe('user scenario files from any folder', () => {
  it('loads a .ts file (TypeScript syntax, importing onesim) from a folder without "type": "module"', () => {
    const ts = write(
      'mine.ts',
      `import { defineScenario, type ScenarioInput } from ${JSON.stringify(schemaModule)};
interface Extra { label: string }
const extra: Extra = { label: 'typed' };
const base: ScenarioInput = ${JSON.stringify(tiny)};
export default defineScenario({ ...base, name: \`ts-\${extra.label}\` });
`,
    );
    const r = onesim('run', ts, '--out', join(dir, 'out-ts'), ...quick);
    expect(r.stderr).not.toContain('ERR_REQUIRE');
    expect(r.status).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ scenario: 'ts-typed', status: 'completed' });
  });

  it('a syntax error exits 2 with file:line:column and no stack (loadScenario.test.ts: bad JSON)', () => {
    const ts = write('broken.ts', 'export default {\n  name: "x",\n  days: 1,,\n};\n');
    const t = onesim('run', ts);
    expect(t.status).toBe(2);
    expect(t.stderr).toContain(`${ts}:3:11: syntax error`);
    expect(t.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown field exits 2 naming it and the closest valid key', () => {
    const file = write(
      'typos.json',
      JSON.stringify({
        ...tiny,
        workerz: { count: 3 },
        holders: { cuont: 30 },
        params: { takeRat: { num: 1, den: 10 } },
      }),
    );
    const r = onesim('run', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('workerz: unknown field "workerz"; did you mean "workers"?');
    expect(r.stderr).toContain('holders.cuont: unknown field "cuont"; did you mean "count"?');
    expect(r.stderr).toContain('params.takeRat: unknown field "takeRat"; did you mean "takeRate"?');
  });

  it('the headline and the derived metrics count the same honest workers (flapping ones are not)', () => {
    const file = write(
      'adversaries.json',
      JSON.stringify({
        ...tiny,
        name: 'adversaries',
        // tinyScenario's network; prices × 10 keep daily incomes above the income sketch's
        // 1-USDC resolution.
        params: { includedPriceMicroUsdcPerCu: 20, dedicatedPriceMicroUsdcPerCu: 30 },
        treasuryGenesisUsdc: 50_000,
        models: [
          { name: 'chat-s', cuPerRequest: 500, weight: 3 },
          { name: 'embed-s', cuPerRequest: 100, weight: 1 },
        ],
        holders: { count: 60, jobsPerDayMedian: 20 },
        sponsors: { count: 2, rateCuPerSecMin: 10, rateCuPerSecMax: 20, reservationHours: 6 },
        workers: { count: 8, slots: 2, capacityCuPerSecMedian: 200 },
        faults: { crashesPerWorkerDay: 2, restartMinutesMean: 30, resultDelayMsMax: 500 },
        adversaries: {
          flappingWorkers: { count: 3, onMinutes: 5, offMinutes: 55 },
          lazyWorkers: { count: 2, fakeShare: 0.5, savingUsdcPerFakedJob: 0.001 },
        },
      }),
    );
    const out = join(dir, 'out-adversaries');
    const r = onesim(
      'run',
      file,
      '--seed',
      '1',
      '--days',
      '2',
      '--out',
      out,
      '--no-trace',
      '--no-report',
    );
    expect(r.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const honest = readCsv(readFileSync(join(out, 'workers.csv'), 'utf8')).filter(
      (w) => w.honest === 'true',
    );
    expect(honest).toHaveLength(3);
    expect(summary.derived.honestWorkers).toBe(honest.length);
    const p50 = new LogHistogram();
    for (const w of honest) p50.add(Number(w.incomeUsdcPerDay));
    expect(summary.headline.honestIncomeUsdcPerWorkerDayP50).toBeGreaterThan(1);
    expect(summary.headline.honestIncomeUsdcPerWorkerDayP50).toBe(round6(p50.quantile(0.5)));
  });
});
