import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rasterise } from '../plot/rasterise.ts';
import { fixtureRun, fixtureSweep } from './fixtures.ts';
import { runCharts } from './runCharts.ts';
import { fanChart, heatmapChart } from './sweepCharts.ts';

// UPDATE_GOLDEN=1 npx vitest run reports/charts rewrites the golden files; review the diff.
const golden = (name: string) => new URL(`./golden/${name}.svg`, import.meta.url);

function matchGolden(name: string, svg: string): void {
  const file = golden(name);
  if (process.env.UPDATE_GOLDEN || (!existsSync(file) && !process.env.CI)) writeFileSync(file, svg);
  expect(svg, `${name}.svg differs from reports/charts/golden (UPDATE_GOLDEN=1 to accept)`).toBe(
    readFileSync(file, 'utf8'),
  );
}

describe('charts against golden SVG files', () => {
  const charts = runCharts(fixtureRun());
  const { agg, grid } = fixtureSweep();
  const sweepCharts = [fanChart(agg, 'treasuryUsdc')!, heatmapChart(agg, grid, 'treasuryEndUsdc')!];

  it('renders the run charts the fixture has data for, and only those', () => {
    expect(charts.map((c) => c.name)).toEqual([
      'treasury',
      'sigma',
      'credits',
      'waits',
      'utilisation',
      'worker-income',
    ]);
  });

  for (const c of [...charts, ...sweepCharts]) {
    it(`${c.name} is stable: rounded numbers, stable ids and class names`, () => {
      expect(c.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(c.svg).not.toMatch(/\d\.\d{3,}/);
      expect(c.svg).toContain(`class="onesim-${c.name}"`);
      matchGolden(c.name, c.svg);
    });
  }

  it('is deterministic across renders', () => {
    expect(runCharts(fixtureRun()).map((c) => c.svg)).toEqual(charts.map((c) => c.svg));
  });

  it('rasterises to a PNG', () => {
    const png = rasterise(charts[0]!.svg);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(5_000);
  });

  it('adds the verification chart only when the columns exist and move', () => {
    const run = fixtureRun();
    run.metrics = run.metrics.map((r, i) => ({
      ...r,
      slashedUsdc: i > 30 ? 500 : 0,
      availabilityScoreMean: 250,
    }));
    expect(runCharts(run).map((c) => c.name)).toContain('verification');
  });
});
