import { performance } from 'node:perf_hooks';
import { parseScenario } from '../scenario/scenarioSchema.ts';
import { runSimulation } from './runSimulation.ts';

/**
 * The scale target: 90 simulated days, 100k holders, 1k workers, ≥ 10M jobs, in ≤ 60 s wall and
 * ≤ 4 GiB. Workers do not claim (360k Merkle proofs would cost ~10 s of keccak). No trace (it would dominate: every action serialised) and invariants checked every
 * 6 simulated hours. ONESIM_SCALE_DAYS shortens it for a quick look.
 */
export const scaleScenario = parseScenario({
  name: 'scale',
  question: 'How fast does the simulator run a large network?',
  days: 90,
  treasuryGenesisUsdc: 5_000_000,
  models: [
    { name: 'chat-s', cuPerRequest: 500, weight: 5 },
    { name: 'chat-m', cuPerRequest: 1_500, weight: 3 },
    { name: 'embed-s', cuPerRequest: 100, weight: 2 },
  ],
  holders: {
    count: 100_000,
    activeShare: 0.6,
    jobsPerDayMedian: 1.4,
    jobsPerDaySigma: 0.6,
    leaveProbability: 0.05,
  },
  sponsors: {
    count: 12,
    rateCuPerSecMin: 20,
    rateCuPerSecMax: 60,
    reservationHours: 24,
    utilisation: 0.7,
  },
  workers: {
    count: 1_000,
    slots: 4,
    capacityCuPerSecMedian: 300,
    modelsPerWorker: 2,
    costUsdcPerDayMedian: 3,
    claimPayouts: false,
  },
  faults: { crashesPerWorkerDay: 0.05, restartMinutesMean: 30, resultDelayMsMax: 500 },
  // Proof-of-AI stays on (5 % of receipts audited); simulated heartbeats (8,640 a node a day per
  // oracle) are off at this size: availability days close as faulty (everyone 255).
  oracles: { count: 5, heartbeats: true },
  run: {
    metricsIntervalMs: 3_600_000,
    invariantCheckIntervalMs: 21_600_000,
    eventsMax: 2_000_000_000,
    queueMax: 20_000_000,
  },
});

export default async function bench(): Promise<void> {
  const days = Number(process.env.ONESIM_SCALE_DAYS ?? 90);
  const t0 = performance.now();
  let peakRss = 0;
  const record = await runSimulation({
    scenario: scaleScenario,
    seed: 1,
    days,
    commit: 'bench',
    onDay: () => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    },
  });
  const wallS = (performance.now() - t0) / 1000;
  const { headline, counters } = record;
  const jobs = headline.jobsSubmitted;
  const maxRssGiB = Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 30;
  console.log(
    `simulator at scale: ${days} days, ${counters.holders.toLocaleString('en-US')} holders, ${counters.workers} workers, ${counters.sponsors} sponsors`,
  );
  console.log(
    `  jobs submitted ${jobs.toLocaleString('en-US')}, completed ${headline.jobsCompleted.toLocaleString('en-US')}; protocol actions ${counters.actionsApplied.toLocaleString('en-US')}; events ${counters.eventsProcessed.toLocaleString('en-US')}`,
  );
  console.log(
    `  wall ${wallS.toFixed(1)} s (target ≤ 60 s at 90 days) = ${Math.round(jobs / wallS).toLocaleString('en-US')} jobs/s, ${Math.round(counters.actionsApplied / wallS).toLocaleString('en-US')} actions/s; peak RSS ${maxRssGiB.toFixed(2)} GiB (target ≤ 4 GiB); invariants: ${record.status}`,
  );
  console.log(
    `  command: ${days === 90 ? '' : `ONESIM_SCALE_DAYS=${days} `}npm run bench -- sim/run/scale.bench.ts`,
  );
}
