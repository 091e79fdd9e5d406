import fc from 'fast-check';
import { startAnvil } from '../live/anvil.ts';
import { liveIntentsArbOf, liveParamsArb } from '../live/audit/arbitraries.ts';
import { runIntentsLive } from '../live/audit/runIntentsLive.ts';
import type { Divergence } from '../live/liveDriver.ts';
import { createRpc } from '../live/rpc.ts';
import { caseSeedOf } from './runAudit.ts';

export interface LiveAuditReport {
  runs: number;
  divergences: Array<{ caseSeed: number; divergence: Divergence }>;
  /** On-chain rejection codes reached at least once, with counts. */
  chainRejections: Record<string, number>;
  ok: boolean;
}

/**
 * The differential part of an audit (optional, bounded): `runs` random on-chain runs of at most
 * `maxLength` intents, each against freshly deployed contracts on one local Anvil (a snapshot
 * reverted after each run), compared with the model action by action.
 */
export async function runLiveAudit(p: {
  seed: number;
  runs: number;
  maxLength?: number;
  onProgress?: (runs: number) => void;
}): Promise<LiveAuditReport> {
  const intentsArb = liveIntentsArbOf(p.maxLength ?? 120);
  const anvil = await startAnvil();
  const rpc = createRpc(anvil.url);
  const report: LiveAuditReport = { runs: 0, divergences: [], chainRejections: {}, ok: true };
  try {
    for (let i = 0; i < p.runs; i++) {
      const caseSeed = caseSeedOf(p.seed, i);
      const [[params, intents]] = fc.sample(fc.tuple(liveParamsArb, intentsArb), {
        seed: caseSeed,
        numRuns: 1,
      }) as [[never, never]];
      const snapshot = await rpc.call<string>('evm_snapshot');
      try {
        const r = await runIntentsLive({ rpc, params, intents });
        if (r.divergence) report.divergences.push({ caseSeed, divergence: r.divergence });
        for (const [code, n] of Object.entries(r.stats.chainRejectedByCode))
          report.chainRejections[code] = (report.chainRejections[code] ?? 0) + n;
      } finally {
        await rpc.call<boolean>('evm_revert', [snapshot]);
      }
      report.runs += 1;
      p.onProgress?.(report.runs);
    }
  } finally {
    rpc.close();
    await anvil.stop();
  }
  report.ok = report.divergences.length === 0;
  return report;
}
