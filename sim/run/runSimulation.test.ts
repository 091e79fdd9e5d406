import { describe, expect, it } from 'vitest';
import type { Simulation } from '../network/simulation.ts';
import { runSimulation } from './runSimulation.ts';
import { summaryOf } from './summary.ts';
import { tinyScenario } from './tinyScenario.ts';

describe('runSimulation', () => {
  it('runs a tiny network with every invariant holding, and jobs flowing in both lanes', async () => {
    const record = await runSimulation({
      scenario: tinyScenario(),
      seed: 3,
      days: 2,
      commit: 'test',
    });
    const { metrics } = record;
    expect(record.status).toBe('completed');
    expect(record.invariants.violation).toBeNull();
    expect(record.invariants.checks).toBeGreaterThan(5);
    expect(record.headline.jobsCompleted).toBeGreaterThan(1_000);
    expect(record.headline.paidToWorkersUsdc).toBeGreaterThan(0);
    expect(metrics).toHaveLength(48);
    expect(metrics.some((r) => r.waitDedicatedMsP95 > 0 || r.waitIncludedMsP95 >= 0)).toBe(true);
  });

  it('is deterministic: same seed, same hashes every day; another seed differs', async () => {
    const a = await runSimulation({
      scenario: tinyScenario(),
      seed: 5,
      days: 2,
      commit: 'test',
      dayHashes: true,
    });
    const b = await runSimulation({
      scenario: tinyScenario(),
      seed: 5,
      days: 2,
      commit: 'test',
      dayHashes: true,
    });
    const c = await runSimulation({ scenario: tinyScenario(), seed: 6, days: 2, commit: 'test' });
    expect(a.dayHashes).toHaveLength(3); // days 0, 1 and the closing boundary of day 2
    expect(b.dayHashes).toEqual(a.dayHashes);
    expect(c.dayHashes).toBeNull();
    expect(JSON.stringify(summaryOf(b))).toBe(JSON.stringify(summaryOf(a)));
    expect(c.finalStateHash).not.toBe(a.finalStateHash);
  });

  it('stops at the first invariant violation and says when and after which action', async () => {
    let sim: Simulation | null = null;
    const summary = await runSimulation({
      scenario: tinyScenario({ run: { invariantCheckIntervalMs: 3_600_000 } }),
      seed: 1,
      days: 2,
      commit: 'test',
      onReady: (s) => {
        sim = s;
      },
      // A planted bug: USDC appears in the treasury from nowhere after the first chunk of events.
      shouldStop: () => {
        sim!.state.treasuryMicroUsdc += 1n;
        return false;
      },
    });
    expect(summary.status).toBe('invariant-violated');
    expect(summary.invariants.violation?.violations[0]?.invariant).toBe('conservation');
    expect(summary.invariants.violation?.atMs).toBeGreaterThan(0);
    expect(summary.invariants.violation?.actionIndex).toBeGreaterThan(0);
  });

  it('keeps finished work when stopped early (Ctrl-C)', async () => {
    let chunks = 0;
    const record = await runSimulation({
      scenario: tinyScenario(),
      seed: 1,
      days: 2,
      commit: 'test',
      shouldStop: () => ++chunks >= 1,
    });
    expect(record.status).toBe('interrupted');
    expect(record.headline.daysSimulated).toBeGreaterThan(0);
  });
});
