import { randomLiveActions, randomLiveParams } from '/work/main/sim/live/randomActions.ts';
import { runLive } from '/work/main/sim/live/runLive.ts';

const seed = Number(process.argv[2] ?? 1);
const days = Number(process.argv[3] ?? 1);
const params = randomLiveParams(seed);
const t0 = performance.now();
const r = await runLive({
  params,
  seed,
  actions: (state) => randomLiveActions({ seed, days, state }),
  checkEvery: Number(process.argv[4] ?? 50),
  clockMs: () => performance.now(),
  replayDir: '/tmp/probe/out',
});
console.log(
  JSON.stringify(
    {
      ok: r.ok,
      div: r.divergence,
      actions: r.actions,
      aps: Math.round(r.actionsPerSec),
      st: { ...r.stats, gasByType: undefined },
      gas: r.gasPerType,
    },
    (_k, v) => (typeof v === 'bigint' ? String(v) : v),
    1,
  ),
);
console.log('total ms', performance.now() - t0);
