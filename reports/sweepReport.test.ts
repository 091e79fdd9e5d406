import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureSweep } from './charts/fixtures.ts';
import { sweepReport } from './sweepReport.ts';

function sweepDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-sweep-report-'));
  const { agg, grid } = fixtureSweep();
  const spec = {
    scenario: 'fixture',
    question: 'Q?',
    seeds: [1, 2],
    grid,
    days: 3,
    scale: 1,
    commit: 'x',
  };
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(spec));
  writeFileSync(join(dir, 'aggregate.json'), JSON.stringify(agg));
  return dir;
}

describe('the sweep report', () => {
  const dir = sweepDir();

  it('shows each cell’s risk figures with their intervals, and a tornado of each headline metric', () => {
    const r = sweepReport(dir);
    expect(r.html).toContain('Risk over seeds');
    expect(r.html).toContain('p95 share of Included jobs missed (not done within SLO)');
    expect(r.html).toMatch(/12\.5 % <small>\[6\.3 %, 25 %\] 97 % CI<\/small>/); // cell 2: 2/16 [1/16, 2/8]
    expect(r.charts.map((c) => c.name)).toContain('tornado-goodputIncluded');
  });

  it('puts two cells side by side: the first and last by default, or the pair asked for', () => {
    const byDefault = sweepReport(dir);
    expect(byDefault.html).toContain('Two cells side by side: 0 and 3');
    expect(byDefault.charts.map((c) => c.name)).toContain('compare-treasuryUsdc');
    const pair = sweepReport(dir, { compare: [1, 2] });
    expect(pair.html).toContain('Two cells side by side: 1 and 2');
    expect(pair.html).toContain('A = cell 1: num=5 count=200');
    expect(pair.html).toContain('B = cell 2: num=10 count=100');
    // the difference of medians: treasuryEndUsdc p50 3,000 − 1,500
    expect(pair.html).toContain('+1,500 USDC');
  });
});
