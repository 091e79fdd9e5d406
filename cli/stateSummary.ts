import { formatOne, formatUsdc, type State } from '../protocol/index.ts';

/** The figures a person reads first about a protocol state, formatted. */
export function summarizeState(s: State): Record<string, string> {
  let staked = 0n;
  for (const h of s.holders.values()) staked += h.stakedOneWei;
  let bonds = 0n;
  for (const w of s.workers.values()) bonds += w.bondMicroUsdc;
  let escrow = 0n;
  for (const r of s.reservations.values()) escrow += r.escrowMicroUsdc;
  const t = s.totals;
  return {
    'time (ms)': s.nowMs.toLocaleString('en-US'),
    day: String(s.day),
    'last settled epoch': String(s.lastSettledEpoch),
    treasury: formatUsdc(s.treasuryMicroUsdc),
    staked: formatOne(staked),
    holders: String(s.holders.size),
    workers: String(s.workers.size),
    'worker bonds': formatUsdc(bonds),
    'sponsor escrow': formatUsdc(escrow),
    'jobs submitted': t.jobsSubmitted.toLocaleString('en-US'),
    'jobs completed': t.jobsCompleted.toLocaleString('en-US'),
    'jobs failed/expired': `${t.jobsFailed.toLocaleString('en-US')} / ${t.jobsExpired.toLocaleString('en-US')}`,
    'receipts settled': t.receiptsSettled.toLocaleString('en-US'),
    'paid to workers': formatUsdc(t.settledMicroUsdc - t.takeMicroUsdc),
    'fees + take': formatUsdc(t.feesMicroUsdc + t.takeMicroUsdc),
    ...deploymentsSummary(s),
  };
}

/** Deployments, when there are any: how many, and ready replicas against their targets. */
function deploymentsSummary(s: State): Record<string, string> {
  if (!s.deployments) return {};
  let ready = 0;
  let placed = 0;
  let target = 0;
  for (const d of s.deployments.values()) {
    target += d.replicas;
    placed += d.holders.size;
    for (const r of d.holders.values()) if (r) ready++;
  }
  return {
    deployments: `${s.deployments.size}: ${ready} ready + ${placed - ready} fetching of ${target} replicas`,
  };
}
