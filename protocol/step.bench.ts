import { performance } from 'node:perf_hooks';
import type { Action } from './actions.ts';
import { resolveParams } from './params.ts';
import { createSimSigner, simVerifier } from './receipts/simVerifier.ts';
import { createState } from './state.ts';
import { step } from './step.ts';
import { addr, hash32, modelId, simAttestationFor } from './testing/fixtures.ts';
import { Lane, type State } from './types.ts';
import { ONE, USDC } from './units.ts';

const env = { verifier: simVerifier };
function must(state: State, action: Action, nowMs: number): number {
  const r = step(state, action, nowMs, env);
  if (!r.ok) throw new Error(`${action.type}: ${r.code} ${r.message}`);
  return r.events.length;
}

/**
 * Mixed workload: 10k holders, 200 workers, 2 models, 20 sponsors; per simulated second a burst
 * of Included and Dedicated submissions, a dispatch, completions, expiry; day starts and
 * settlements on schedule.
 */
function mixedWorkload(seconds: number): { actions: number; wallMs: number; jobs: number } {
  const state = createState(resolveParams({ reservationMinMs: 60_000 }));
  const models = [modelId('m0'), modelId('m1')];
  const holders = Array.from({ length: 10_000 }, (_, i) => addr(i, 1));
  const workers = Array.from({ length: 200 }, (_, i) => addr(i, 2));
  const sponsors = Array.from({ length: 20 }, (_, i) => addr(i, 3));
  let actions = 0;
  const run = (a: Action, t: number) => {
    must(state, a, t);
    actions++;
  };
  run({ type: 'deposit', account: sponsors[0]!, asset: 'usdc', amount: 10_000_000n * USDC }, 0);
  run({ type: 'fundTreasury', from: sponsors[0]!, amountMicroUsdc: 5_000_000n * USDC }, 0);
  for (const h of holders) {
    run({ type: 'deposit', account: h, asset: 'one', amount: 2_000n * ONE }, 0);
    run({ type: 'stake', holder: h, amountOneWei: 2_000n * ONE }, 0);
  }
  workers.forEach((w, i) => {
    run({ type: 'deposit', account: w, asset: 'usdc', amount: 500n * USDC }, 0);
    run(
      {
        type: 'registerWorker',
        worker: w,
        models: [models[i % 2]!],
        slots: 4,
        capacityCuPerSec: 100n,
        bondMicroUsdc: 500n * USDC,
        attestation: simAttestationFor(state.params, w),
      },
      0,
    );
  });
  sponsors.forEach((s, i) => {
    if (i > 0) run({ type: 'deposit', account: s, asset: 'usdc', amount: 100_000n * USDC }, 0);
    run(
      {
        type: 'reserve',
        sponsor: s,
        model: models[i % 2]!,
        rateCuPerSec: 50n,
        durationMs: 86_400_000,
      },
      0,
    );
  });
  run({ type: 'startDay', day: 0 }, 0);
  const running: number[] = [];
  let h = 0;
  const t0 = performance.now();
  for (let sec = 1; sec <= seconds; sec++) {
    const t = sec * 1000;
    for (let k = 0; k < 20; k++) {
      const holder = holders[h++ % holders.length]!;
      run(
        {
          type: 'submitJob',
          lane: Lane.included,
          requester: holder,
          model: models[k % 2]!,
          units: 10n,
          requestHash: hash32(`${sec}:${k}`),
        },
        t,
      );
    }
    for (let k = 0; k < 4; k++) {
      const r = (sec * 4 + k) % sponsors.length;
      run(
        {
          type: 'submitJob',
          lane: Lane.dedicated,
          requester: sponsors[r]!,
          reservationId: r + 1,
          model: models[r % 2]!,
          units: 10n,
          requestHash: hash32(`d${sec}:${k}`),
        },
        t,
      );
    }
    const r = step(state, { type: 'dispatch' }, t, env);
    actions++;
    if (r.ok) for (const e of r.events) if (e.type === 'JobDispatched') running.push(e.jobId);
    while (running.length > 0) {
      const job = state.jobs.get(running.pop()!)!;
      const w = state.workers.get(job.worker!)!;
      const receipt = {
        jobId: job.id,
        lane: job.lane,
        requester: job.requester,
        model: job.model as `0x${string}`,
        worker: w.address,
        requestHash: job.requestHash,
        resultHash: job.requestHash,
        units: job.units,
        price: job.priceMicroUsdcPerCu,
        finishedAt: t,
        prev: w.chainHead,
      };
      run({ type: 'completeJob', receipt, signature: createSimSigner(w.address).sign(receipt) }, t);
    }
    run({ type: 'expireJobs' }, t);
    if (t % 21_600_000 === 0) run({ type: 'settle', epoch: t / 21_600_000 - 1 }, t);
  }
  return { actions, wallMs: performance.now() - t0, jobs: state.totals.jobsCompleted };
}

export default async function bench(): Promise<void> {
  mixedWorkload(2_000); // warm-up
  const { actions, wallMs, jobs } = mixedWorkload(30_000);
  console.log(
    `protocol step, mixed workload (10k holders, 200 workers, 20 reservations, 30,000 simulated s):`,
  );
  console.log(
    `  ${actions.toLocaleString('en-US')} actions in ${(wallMs / 1000).toFixed(2)} s = ${Math.round(actions / (wallMs / 1000)).toLocaleString('en-US')} actions/s (${jobs.toLocaleString('en-US')} jobs completed, sim verifier)`,
  );
  console.log('  command: npm run bench -- protocol/step.bench.ts');
}
