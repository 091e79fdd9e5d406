import { stateHash } from '../../protocol/index.ts';
import type { GatewayCore } from './gatewayCore.ts';

/** `GET /status`: the protocol's clock and totals, the leases, and per worker its receipts, earnings, chain heads and rejections. Money as decimal strings. */
export function gatewayStatus<T extends Record<string, unknown>>(core: GatewayCore, extra: T) {
  const s = core.state;
  const t = s.totals;
  const workers = [...core.workers.values()].map((w) => {
    const pw = s.workers.get(w.address)!;
    return {
      address: w.address,
      key: w.key,
      models: w.models,
      receipts: w.receipts,
      oneChainHead: w.head,
      chainRestarts: w.chainRestarts,
      protocolChainHead: pw.chainHead,
      served: pw.served,
      failed: pw.failed,
      reliability: pw.served + pw.failed === 0 ? null : pw.served / (pw.served + pw.failed),
      earnedMicroUsdc: pw.earnedMicroUsdc.toString(),
      balanceMicroUsdc: (s.accounts.get(w.address)?.usdc ?? 0n).toString(),
      rejections: w.rejections,
    };
  });
  return {
    nowMs: core.nowMs(),
    day: s.day,
    lastSettledEpoch: s.lastSettledEpoch,
    openJobs: s.openJobs,
    jobs: {
      submitted: t.jobsSubmitted,
      completed: t.jobsCompleted,
      failed: t.jobsFailed,
      expired: t.jobsExpired,
      settled: t.receiptsSettled,
    },
    settledMicroUsdc: t.settledMicroUsdc.toString(),
    treasuryMicroUsdc: s.treasuryMicroUsdc.toString(),
    rejections: core.rejections,
    leases: {
      issued: core.counts.leasesIssued,
      lapsed: core.counts.leasesLapsed,
      open: [...core.jobs.values()]
        .filter((j) => j.lease !== null)
        .map((j) => ({
          id: j.lease!.id,
          untilMs: j.lease!.untilMs,
          bound: j.lease!.boundKey !== null,
        }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    },
    queued: [...core.jobs.values()].filter((j) => core.state.jobs.get(j.id)?.status === 'queued')
      .length,
    models: [...core.modelIds.keys()],
    workers,
    stateHash: stateHash(s),
    ...extra,
  };
}
