// `npm run bench -- engine`: engine throughput on the M/M/c example and Erlang C agreement.
import { performance } from 'node:perf_hooks';
import { type MmcReport, measureMmc } from '../examples/measureMmc.ts';
import { createEngine } from './createEngine.ts';

const wallClockMs = () => performance.now();
const pct = (x: number) => `${(x * 100).toFixed(2)}%`.padStart(7);
const millions = (x: number) => `${(x / 1e6).toFixed(2)}M`;

/** Hold model: `pending` events, each handler reschedules itself; pure engine overhead. */
function holdEventsPerSec(pending: number, events: number): number {
  const engine = createEngine({ eventsMax: events + pending, queueMax: pending });
  let state = 12345;
  const kind = engine.defineKind((_payload, nowMs) => {
    // Cheap LCG delay: the bench measures the engine, not the RNG.
    state = (state * 1103515245 + 12345) >>> 0;
    engine.schedule(nowMs + (state >>> 20), kind);
  });
  for (let i = 0; i < pending; i++) engine.schedule(i, kind);
  const startMs = wallClockMs();
  engine.run({ eventsBudget: events });
  return events / ((wallClockMs() - startMs) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export default async function benchEngine(): Promise<void> {
  const customers = 1_000_000;
  measureMmc({ servers: 8, rho: 0.9, customers: 200_000, seed: 0, wallClockMs }); // JIT warm-up
  const runs: MmcReport[] = [];
  for (let i = 0; i < 5; i++)
    runs.push(measureMmc({ servers: 8, rho: 0.9, customers, seed: 1, wallClockMs }));
  console.log('M/M/c throughput, c=8 rho=0.9, 1M customers (median of 5 runs, seed 1):');
  console.log(
    `  customers/s ${millions(median(runs.map((r) => r.customersPerSec)))}   events/s ${millions(median(runs.map((r) => r.eventsPerSec)))}`,
  );
  console.log(
    '  reproduce: node bin/onesim.js bench engine --servers 8 --rho 0.9 --customers 1000000 --seed 1',
  );

  for (const pending of [9, 1000, 100_000]) {
    console.log(
      `engine hold model, ${pending} pending events: ${millions(holdEventsPerSec(pending, 5_000_000))} events/s`,
    );
  }

  console.log(
    '\nErlang C agreement, 1M customers, 5% warm-up discarded (error ± batch-means std err):',
  );
  console.log('     c    rho   seed    error  std err');
  const cases: Array<[number, number]> = [
    [1, 0.5],
    [1, 0.9],
    [8, 0.5],
    [8, 0.9],
    [64, 0.9],
    [1000, 0.95],
  ];
  for (const [servers, rho] of cases) {
    for (const seed of [1, 2, 3]) {
      const r = measureMmc({ servers, rho, customers, seed, wallClockMs });
      console.log(
        `${String(servers).padStart(6)} ${rho.toFixed(2).padStart(6)} ${String(seed).padStart(6)}  ${pct(r.relativeError)}  ${pct(r.relativeStdErr)}`,
      );
    }
  }
  console.log(
    '  reproduce one row: node bin/onesim.js bench engine --servers C --rho R --customers 1000000 --seed S',
  );
}
