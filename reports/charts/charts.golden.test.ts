import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rasterise } from '../plot/rasterise.ts';
import { fixtureRun, fixtureSweep } from './fixtures.ts';
import { runCharts } from './runCharts.ts';
import { fanChart, heatmapChart } from './sweepCharts.ts';
import { tornadoChart } from './tornadoChart.ts';

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
  const sweepCharts = [
    fanChart(agg, 'treasuryUsdc')!,
    heatmapChart(agg, grid, 'treasuryEndUsdc')!,
    tornadoChart(agg, 'goodputIncluded')!,
  ];

  it('renders the run charts the fixture has data for, and only those', () => {
    expect(charts.map((c) => c.name)).toEqual([
      'treasury',
      'sigma',
      'credits',
      'waits',
      'goodput',
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

  it('adds the deployments chart only when a model was ever under-replicated', () => {
    const run = fixtureRun();
    expect(runCharts(run).map((c) => c.name)).not.toContain('deployments');
    run.metrics = run.metrics.map((r, i) => ({ ...r, underReplicatedShare: i === 5 ? 0.25 : 0 }));
    const chart = runCharts(run).find((c) => c.name === 'deployments');
    expect(chart?.svg).toContain('class="onesim-deployments"');
    matchGolden('deployments', chart!.svg);
  });
});

describe('day axes', () => {
  it('tick whole days only, at most ten, whatever the span', async () => {
    const { dayTicks } = await import('./dayTicks.ts');
    expect(dayTicks(0, 14)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    expect(dayTicks(1 / 24, 3)).toEqual([1, 2, 3]);
    expect(dayTicks(0, 90)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(dayTicks(0.2, 0.9)).toEqual([]);
    for (const hi of [1, 2, 7, 30, 91, 365, 1000]) {
      const t = dayTicks(0, hi);
      expect(t.length).toBeLessThanOrEqual(10);
      expect(t.every(Number.isInteger)).toBe(true);
    }
  });

  it('the run charts over time put ticks on whole days', () => {
    for (const name of ['treasury', 'waits', 'goodput', 'utilisation']) {
      const svg = runCharts(fixtureRun()).find((c) => c.name === name)!.svg;
      const axis = /aria-label="x-axis tick label">(.*?)<\/g>/.exec(svg)![1]!;
      const labels = [...axis.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]);
      expect(labels, name).toEqual(['1', '2', '3']);
    }
  });
});

describe('tornado chart', () => {
  it('orders keys by effect and labels each end with the value behind it', () => {
    const { agg } = fixtureSweep();
    const t = tornadoChart(agg, 'goodputIncluded')!;
    const texts = [...t.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    // widest effect first: take rate (0.84–0.97) above holders (0.875–0.94)
    expect(texts.slice(0, 2)).toEqual(['params.takeRate.num', 'holders.count']);
    // each end names the grid value that gives it: take 10 is the low end, 5 the high
    expect(texts.slice(-4)).toEqual(['10', '100', '5', '200']);
    expect(tornadoChart(agg, 'noSuchMetric')).toBeNull();
  });
});
