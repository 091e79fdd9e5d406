import { describe, expect, it } from 'vitest';
import { runSimulation } from '../sim/run/runSimulation.ts';
import { summaryOf } from '../sim/run/summary.ts';
import { parseScenario } from '../sim/scenario/scenarioSchema.ts';
import { scaleScenario } from '../sim/sweep/scaleScenario.ts';
import presenceVsWork from './presence-vs-work.ts';

/** The same network (a third of the scenario's, one lazy and one flapping worker) under each rule set. */
async function runUnder(rewardRules: 'one' | 'ratio1') {
  const scaled = scaleScenario(parseScenario(presenceVsWork, 'presence-vs-work'), 0.3);
  const scenario = parseScenario({
    ...scaled,
    params: { ...scaled.params, rewardRules },
    adversaries: {
      ...scaled.adversaries,
      lazyWorkers: { ...scaled.adversaries.lazyWorkers, count: 1 },
      flappingWorkers: { ...scaled.adversaries.flappingWorkers, count: 1 },
    },
  });
  const r = await runSimulation({ scenario, seed: 1, days: 2, commit: 'test' });
  expect(r.status).toBe('completed');
  const s = summaryOf(r);
  expect(s.invariants.violation).toBeNull();
  return s.headline;
}

describe('presence-vs-work: one network under both rule sets', () => {
  it('ONE pays verified work and slashes the lazy worker; Ratio1 pays presence, slashes nobody, and burns 15 % of the escrow pay', async () => {
    const one = await runUnder('one');
    const r1 = await runUnder('ratio1');
    // ONE: re-execution catches the lazy worker; cheating loses money; no Ratio1 books.
    expect(one.mismatchesConfirmed).toBeGreaterThan(0);
    expect(one.lazyProfitUsdcPerWorkerDay).toBeLessThan(0);
    expect([one.licenceMintedUsdc, one.poaiPaidUsdc, one.burnedUsdc]).toEqual([0, 0, 0]);
    // Ratio1: nothing re-executed, nothing slashed, no take; licences mint, the escrow pays and burns.
    expect([r1.auditsOpened, r1.mismatchesConfirmed, r1.slashedUsdc, r1.takeUsdc]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(r1.licenceMintedUsdc).toBeGreaterThan(0);
    expect(r1.poaiPaidUsdc).toBeGreaterThan(0);
    const burnShare = r1.burnedUsdc / (r1.burnedUsdc + r1.poaiPaidUsdc);
    expect(burnShare).toBeGreaterThan(0.149);
    expect(burnShare).toBeLessThanOrEqual(0.15);
    // What the escrow paid and burned came from receipts' pay; the rest is still in it.
    expect(r1.poaiPaidUsdc + r1.burnedUsdc + r1.escrowEndUsdc).toBeCloseTo(r1.paidToWorkersUsdc, 4);
    // Presence pays the lazy worker: cheating pays under Ratio1 and not under ONE.
    expect(r1.lazyProfitUsdcPerWorkerDay).toBeGreaterThan(0);
    expect(r1.lazyProfitUsdcPerWorkerDay).toBeGreaterThan(one.lazyProfitUsdcPerWorkerDay);
    expect(r1.lazyIncomeUsdcPerWorkerDay).toBeGreaterThan(one.lazyIncomeUsdcPerWorkerDay);
  }, 300_000);
});
