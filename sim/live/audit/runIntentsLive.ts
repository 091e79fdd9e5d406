import type { Intent } from '../../../protocol/audit/randomRun.ts';
import type { BuildResult } from '../../../protocol/contracts/build.ts';
import type { Params } from '../../../protocol/params.ts';
import { type Divergence, LiveDivergenceError } from '../liveDriver.ts';
import { intentActions } from '../randomActions.ts';
import type { Rpc } from '../rpc.ts';
import { openLiveSession } from '../session.ts';
import type { LiveStats } from '../stats.ts';

export interface RunIntentsLiveResult {
  divergence: Divergence | null;
  stats: LiveStats;
  /** Mismatches confirmed by a quorum (slashings) in the run. */
  slashes: number;
}

/**
 * The differential step of the property tests: genesis plus `intents` (randomRun's, on whole
 * seconds) applied to the model and to freshly deployed contracts, projections compared every
 * `checkEvery` actions and at the end. Call inside an isolated snapshot.
 */
export async function runIntentsLive(p: {
  rpc: Rpc;
  params: Params;
  intents: Intent[];
  build?: BuildResult;
  checkEvery?: number;
}): Promise<RunIntentsLiveResult> {
  const { driver } = await openLiveSession({ rpc: p.rpc, params: p.params, build: p.build });
  const checkEvery = p.checkEvery ?? 25;
  let i = 0;
  try {
    for (const t of intentActions(driver.state, p.intents)) {
      await driver.apply(i, t.atMs, t.action);
      i += 1;
      if (i % checkEvery === 0) await driver.check();
    }
    await driver.check();
    return {
      divergence: null,
      stats: driver.stats,
      slashes: driver.state.totals.mismatchesConfirmed,
    };
  } catch (e) {
    if (e instanceof LiveDivergenceError)
      return {
        divergence: e.divergence,
        stats: driver.stats,
        slashes: driver.state.totals.mismatchesConfirmed,
      };
    throw e;
  }
}
