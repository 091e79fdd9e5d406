import { describe, expect, it } from 'vitest';
import { LogHistogram } from '../metrics/logHistogram.ts';
import { runSimulation } from '../run/runSimulation.ts';
import { tinyScenario } from '../run/tinyScenario.ts';
import {
  deploymentMetrics,
  derivedMetrics,
  headlineMetrics,
  profileMetrics,
  sealedMetrics,
} from './fields.ts';
import { round6 } from './round6.ts';

describe('the run record', () => {
  // Three of eight workers flap (5 min on, 55 off) and two fake results: their income differs
  // from the honest workers', so any disagreement on who is honest shows in the numbers.
  // Prices × 10 keep incomes above the sketch's 1-USDC resolution.
  const scenario = tinyScenario({
    params: { includedPriceMicroUsdcPerCu: 20, dedicatedPriceMicroUsdcPerCu: 30 },
    workers: { count: 8, slots: 2, capacityCuPerSecMedian: 200 },
    adversaries: {
      flappingWorkers: { count: 3, onMinutes: 5, offMinutes: 55 },
      lazyWorkers: { count: 2, fakeShare: 0.5, savingUsdcPerFakedJob: 0.001 },
    },
  });
  const run = runSimulation({ scenario, seed: 1, days: 2, commit: 'test' });

  it('has one definition of an honest worker: neither lazy nor flapping, in the ledger, the headline and the derived metrics', async () => {
    const r = await run;
    const honest = r.workers.filter((w) => w.honest);
    expect(r.workers.filter((w) => w.flapping)).toHaveLength(3);
    expect(r.workers.filter((w) => w.lazy)).toHaveLength(2);
    expect(honest).toHaveLength(3);
    expect(honest.every((w) => !w.flapping && !w.lazy)).toBe(true);
    expect(r.derived.honestWorkers).toBe(honest.length);
    const p50 = new LogHistogram();
    for (const w of honest) p50.add(w.incomeUsdcPerDay);
    expect(r.headline.honestIncomeUsdcPerWorkerDayP50).toBe(round6(p50.quantile(0.5)));
    expect(r.headline.honestIncomeUsdcPerWorkerDayP50).toBeGreaterThan(1);
    // The headline used to count flapping workers as honest: with them, the median differs.
    const withFlapping = new LogHistogram();
    for (const w of r.workers) if (!w.lazy) withFlapping.add(w.incomeUsdcPerDay);
    expect(round6(withFlapping.quantile(0.5))).not.toBe(r.headline.honestIncomeUsdcPerWorkerDayP50);
  });

  it('holds exactly the named headline and derived metrics, in summary order', async () => {
    const r = await run;
    const profile = new Set<string>([...profileMetrics, ...deploymentMetrics, ...sealedMetrics]);
    expect(Object.keys(r.headline)).toEqual(headlineMetrics.filter((m) => !profile.has(m)));
    expect(Object.keys(r.derived)).toEqual([...derivedMetrics]);
    for (const v of [...Object.values(r.headline), ...Object.values(r.derived)])
      expect(typeof v).toBe('number');
  });

  it('counts what happened and keeps the metrics rows and resolved parameters', async () => {
    const r = await run;
    expect(r.counters).toMatchObject({ holders: 60, workers: 8, sponsors: 2 });
    expect(r.counters.actionsApplied).toBeGreaterThan(1_000);
    expect(r.counters.eventsProcessed).toBeGreaterThan(r.counters.actionsApplied / 2);
    expect(r.metrics).toHaveLength(48);
    expect(r.params.dayMs).toBe(86_400_000);
    expect(r.params.includedPriceMicroUsdcPerCu).toBe(20n);
    expect(r.dayHashes).toBeNull();
  });
});
