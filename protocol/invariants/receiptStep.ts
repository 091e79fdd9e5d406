import type { Action } from '../actions.ts';
import type { Job, State } from '../types.ts';
import { Lane } from '../types.ts';
import type { InvariantViolation } from './stateInvariants.ts';
import type { StepCheckParameters } from './stepInvariants.ts';

type Complete = Extract<Action, { type: 'completeJob' }>;

const laneName = (lane: unknown) => (lane === Lane.dedicated ? 'Dedicated' : 'Included');

/** What a receipt must agree with: the job as it stood before the step, and the time. */
function fieldsDisagree(job: Job, a: Complete, nowMs: number): string | null {
  const r = a.receipt;
  const want: Array<[string, unknown, unknown]> = [
    ['lane', r.lane, job.lane],
    ['requester', r.requester, job.requester],
    ['model', r.model, job.model],
    ['requestHash', r.requestHash, job.requestHash],
    ['units', r.units, job.units],
    ['price', r.price, job.priceMicroUsdcPerCu],
    ['finishedAt', r.finishedAt, nowMs],
  ];
  for (const [field, got, expected] of want)
    if (got !== expected) return `receipt.${field} is ${got}, the job has ${expected}`;
  if (typeof r.resultHash !== 'string' || !/^0x[0-9a-f]{64}$/.test(r.resultHash))
    return `receipt.resultHash ${r.resultHash} is not bytes32 hex`;
  return null;
}

/** Who may have finished the job before the step: its pushed worker, or a leased job's taker. */
function takerProblem(prev: State, job: Job, a: Complete, nowMs: number): string | null {
  const r = a.receipt;
  if (nowMs > job.deadlineAtMs)
    return `finished at ${nowMs}, after the deadline ${job.deadlineAtMs}`;
  if (job.status === 'running')
    return r.worker === job.worker ? null : `names ${r.worker}, the job ran on ${job.worker}`;
  if (job.status !== 'leased') return `the job was ${job.status}, neither running nor leased`;
  if (job.leaseUntilMs === undefined || nowMs > job.leaseUntilMs)
    return `finished at ${nowMs}, after the lease ended (${job.leaseUntilMs})`;
  const w = prev.workers.get(r.worker);
  if (!w) return `names ${r.worker}, not a registered worker`;
  if (!w.models.includes(job.model)) return `names ${r.worker}, which does not serve ${job.model}`;
  // PROTOCOL.md §5: a job goes only to a worker that is registered, bonded, not jailed and
  // available (and, under KYC, attested now); a leased job's taker is bound by the same rule.
  const p = prev.params;
  const barred =
    w.status !== 'active'
      ? `is ${w.status}`
      : w.jailed
        ? 'is jailed'
        : !w.online
          ? 'is offline'
          : w.bondMicroUsdc < p.workerBondMinMicroUsdc
            ? `has a bond of ${w.bondMicroUsdc}, under ${p.workerBondMinMicroUsdc}`
            : w.availabilityScore < p.availabilityMinScore
              ? `has availability ${w.availabilityScore}, under ${p.availabilityMinScore}`
              : p.kycRequired && w.attestationExpiresAtMs <= nowMs
                ? `has an attestation that lapsed at ${w.attestationExpiresAtMs}`
                : null;
  return barred === null ? null : `names ${r.worker}, which may not take jobs: it ${barred}`;
}

/**
 * Every accepted completeJob carries a receipt that verifies under the step's verifier for the
 * worker it names, and that worker is the job's: the one it was pushed to, or for a leased job
 * the registered worker that took it (bound now). Its fields are the job's, its `prev` the
 * worker's chain head, and the job records it. A handler that forgets a check in one lane (or
 * for leased jobs only) is caught on the first receipt that check should have refused.
 */
export function checkReceiptStep(p: StepCheckParameters, out: InvariantViolation[]): void {
  const a = p.action;
  if (a?.type !== 'completeJob') return;
  const r = a.receipt;
  const bad = (message: string): void => {
    out.push({
      invariant: 'receiptsValid',
      message: `accepted ${laneName(r.lane)} receipt of job ${r.jobId}: ${message}`,
    });
  };
  const done = p.events.filter((e) => e.type === 'JobCompleted');
  if (done.length !== 1 || done[0]!.jobId !== r.jobId || done[0]!.worker !== r.worker)
    bad(
      `the step completed ${done.map((e) => `job ${e.jobId} by ${e.worker}`).join(', ') || 'nothing'}`,
    );
  const job = p.state.jobs.get(r.jobId);
  if (job?.status !== 'completed' || job.worker !== r.worker)
    bad(
      `the job is ${job?.status ?? 'gone'} on ${job?.worker ?? 'no worker'}, not completed by ${r.worker}`,
    );
  if (p.verifier) {
    const id = p.verifier.receiptId(r);
    if (!p.verifier.verify(r, a.signature, id))
      bad(`its signature does not verify for ${r.worker} (${p.verifier.name})`);
    else if (job && job.receiptId !== id)
      bad(`the job records receipt ${job.receiptId}, not ${id}`);
  }
  const before = p.prev?.jobs.get(r.jobId);
  if (!p.prev) return;
  if (!before) {
    bad('there was no such job before the step');
    return;
  }
  const problem =
    takerProblem(p.prev, before, a, p.state.nowMs) ?? fieldsDisagree(before, a, p.state.nowMs);
  if (problem) {
    bad(problem);
    return;
  }
  const head = p.prev.workers.get(r.worker)?.chainHead;
  if (r.prev !== head) bad(`receipt.prev ${r.prev} is not ${r.worker}'s chain head ${head}`);
}
