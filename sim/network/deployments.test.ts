import { describe, expect, it } from 'vitest';
import type { ProtocolEvent } from '../../protocol/index.ts';
import { runSimulation } from '../run/runSimulation.ts';
import { tinyScenario } from '../run/tinyScenario.ts';
import { transferMs } from './deployments.ts';
import type { Simulation } from './simulation.ts';

const GB = 1_000_000_000;

describe('replica transfer cost', () => {
  const base = {
    sizeBytes: 10 * GB,
    bandwidthMbps: 1_000,
    originMbps: 200,
    peerMbps: 500,
    readyPeers: 0,
    cached: false,
  };
  it('is size / rate: the origin alone, each ready peer adding its share, capped by the worker’s bandwidth', () => {
    // 80 Gbit at 200 Mbit/s = 400 s.
    expect(transferMs(base)).toBe(400_000);
    // One peer: 700 Mbit/s → 114.3 s (rounded up to the ms).
    expect(transferMs({ ...base, readyPeers: 1 })).toBe(Math.ceil((80e9 / 700e6) * 1000));
    // Two peers would give 1,200 Mbit/s; the worker's own 1,000 is the limit: 80 s.
    expect(transferMs({ ...base, readyPeers: 2 })).toBe(80_000);
    expect(transferMs({ ...base, readyPeers: 5, bandwidthMbps: 100 })).toBe(800_000);
  });
  it('is nothing when the worker’s cache still holds the model', () => {
    expect(transferMs({ ...base, cached: true })).toBe(0);
  });
});

/** A tiny network with two deployed models and churn; records every replica event. */
async function deployedRun(crashesPerWorkerDay: number, deployments: object = {}) {
  const events: ProtocolEvent[] = [];
  let sim: Simulation | undefined;
  const record = await runSimulation({
    scenario: tinyScenario({
      workers: { count: 6, slots: 2, capacityCuPerSecMedian: 200 },
      faults: { crashesPerWorkerDay, restartMinutesMean: 30, resultDelayMsMax: 500 },
      deployments: { replicas: 2, modelSizeGb: 20, workerMemoryGb: 48, ...deployments },
    }),
    seed: 4,
    days: 2,
    commit: 'test',
    onReady: (s) => {
      sim = s;
      // Genesis placed and readied the first replicas before this hook.
      for (const d of s.state.deployments?.values() ?? [])
        for (const [worker, ready] of d.holders)
          if (ready) events.push({ type: 'ReplicaReady', model: d.model, worker });
      const write = s.options.trace;
      s.options.trace = {
        write(atMs, action, evs) {
          write?.write(atMs, action, evs);
          for (const e of evs ?? [])
            if (e.type.startsWith('Replica') || e.type === 'JobDispatched') events.push(e);
        },
      };
    },
  });
  return { record, events, sim: sim! };
}

describe('deployments in the simulator', () => {
  it('with churn: crashed holders are re-placed, transfers take time, models spend some time under-replicated; jobs go only to ready holders', async () => {
    const { record, events, sim } = await deployedRun(6);
    expect(record.invariants.violation).toBeNull();
    const h = record.headline;
    expect(h.deployedModels).toBe(2);
    expect(h.replicaDropsOffline).toBeGreaterThan(0);
    expect(h.replicaTransfers).toBeGreaterThan(0);
    expect(h.underReplicatedShare).toBeGreaterThan(0);
    expect(h.underReplicatedShare).toBeLessThan(1);
    expect(record.metrics.some((r) => r.underReplicatedShare > 0)).toBe(true);
    // Replay the replica events: every dispatch of a deployed model went to a ready holder.
    const ready = new Set<string>();
    let dispatched = 0;
    for (const e of events) {
      if (e.type === 'ReplicaReady') ready.add(`${e.model}|${e.worker}`);
      if (e.type === 'ReplicaDropped') ready.delete(`${e.model}|${e.worker}`);
      if (e.type === 'JobDispatched') {
        dispatched++;
        expect(ready.has(`${e.model}|${e.worker}`)).toBe(true);
      }
    }
    expect(dispatched).toBeGreaterThan(100);
    expect(sim.state.deployments?.size).toBe(2);
  });

  it('without churn nothing moves: never under-replicated, no transfers after genesis', async () => {
    const { record } = await deployedRun(0);
    expect(record.headline.underReplicatedShare).toBe(0);
    expect(record.headline.replicaTransfers).toBe(0);
    expect(record.headline.goodputIncluded).toBeGreaterThan(0);
  });

  it('a worker’s cache re-readies a replica at once; without a cache every re-placement transfers', async () => {
    const cached = await deployedRun(6, { cacheHours: 24 });
    const uncached = await deployedRun(6, { cacheHours: 0 });
    expect(cached.record.headline.replicaCacheHitShare).toBeGreaterThan(0);
    expect(uncached.record.headline.replicaCacheHitShare).toBe(0);
    expect(uncached.record.headline.replicaTransferSecondsMean).toBeGreaterThan(
      cached.record.headline.replicaTransferSecondsMean!,
    );
  });

  it('scales replicas with demand when asked (a knob), within [k, replicasMax]', async () => {
    const { record, sim } = await deployedRun(0, {
      jobsPerReplicaPerHour: 5,
      replicasMax: 4,
      scaleEveryMinutes: 60,
    });
    expect(record.invariants.violation).toBeNull();
    expect(record.headline.replicaRescales).toBeGreaterThan(0);
    for (const d of sim.state.deployments!.values()) {
      expect(d.replicas).toBeGreaterThanOrEqual(2);
      expect(d.replicas).toBeLessThanOrEqual(4);
    }
  });

  it('a scenario without deployments has no deployment metrics and a zero column', async () => {
    const record = await runSimulation({
      scenario: tinyScenario(),
      seed: 4,
      days: 1,
      commit: 'test',
    });
    expect(record.headline.underReplicatedShare).toBeUndefined();
    expect(record.metrics.every((r) => r.underReplicatedShare === 0)).toBe(true);
  });
});
