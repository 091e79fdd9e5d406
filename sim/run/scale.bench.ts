import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { parseScenario } from '../scenario/scenarioSchema.ts';
import { runSimulation } from './runSimulation.ts';

/**
 * The scale target: 90 simulated days, 100k holders, 1k workers, ≥ 10M jobs, in ≤ 60 s wall and
 * ≤ 4 GiB, with Proof-of-Availability and Proof-of-AI on. Workers do not claim (360k Merkle
 * proofs would cost ~10 s of keccak). No trace, and invariants checked every 6 simulated hours.
 * ONESIM_SCALE_DAYS shortens it for a quick look. A CPU profile of the run (node:inspector)
 * gives the top self-time entries.
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
  // Proof-of-AI on (5 % of receipts audited) and Proof-of-Availability on: 5 oracles score every
  // worker's heartbeats each day (simulated as runs, sim/network/heartbeatRuns.ts), the scores
  // are agreed (§8) and gate and weight routing.
  oracles: { count: 5, heartbeats: true },
  run: {
    metricsIntervalMs: 3_600_000,
    invariantCheckIntervalMs: 21_600_000,
    eventsMax: 2_000_000_000,
    queueMax: 20_000_000,
  },
});

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** The top `n` functions by self time (sampled), as "share  name  file". */
function topSelfTime(p: Profile, n: number): string[] {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'}  ${f.url.split('/').slice(-2).join('/')}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, t]) => `${((t / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
}

export default async function bench(): Promise<void> {
  const days = Number(process.env.ONESIM_SCALE_DAYS ?? 90);
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1_000 });
  await post('Profiler.start');
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
  const { profile } = (await post('Profiler.stop')) as { profile: Profile };
  session.disconnect();
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
    `  wall ${wallS.toFixed(1)} s (target ≤ 60 s at 90 days) = ${Math.round(jobs / wallS).toLocaleString('en-US')} jobs/s, ${Math.round(counters.actionsApplied / wallS).toLocaleString('en-US')} actions/s, ${Math.round(counters.eventsProcessed / wallS).toLocaleString('en-US')} events/s; peak RSS ${maxRssGiB.toFixed(2)} GiB (target ≤ 4 GiB); invariants: ${record.status}`,
  );
  console.log('  where the time goes (self time, CPU profile of the run):');
  for (const line of topSelfTime(profile, 5)) console.log(`    ${line}`);
  console.log(
    `  command: ${days === 90 ? '' : `ONESIM_SCALE_DAYS=${days} `}npm run bench -- sim/run/scale.bench.ts`,
  );
}
