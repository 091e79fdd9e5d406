import type { Hex } from '../../protocol/index.ts';
import type { ChatParams, GatewayCore } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';
import type { Registration } from './registration.ts';
import { releaseSealed, type SealedJobs } from './sealedJobs.ts';
import { workerAddressOf, workerKeyHeader } from './workerIdentity.ts';

/**
 * What `GET /jobs/next` answers, as the public ONE worker client (v0.1.0, `Job` in src/worker.ts)
 * reads it: `id` (a string it posts its result to), the chat-completion `params`, and
 * `prevReceipt`, the link hash its receipt must chain to (only when the poll named its worker).
 */
export type JobOffer = { id: string; params: ChatParams; prevReceipt?: string };

export type HandOutJobParameters = {
  core: GatewayCore;
  /** `models=a,b` of the poll. */
  models: string[];
  /** The optional `x-one-worker` hint: the polling worker's key. Absent for the public client. */
  hint: unknown;
  registration: Registration;
  leaseMs: number;
  /** Sealed requests held for their workers, and the units of one that names none. */
  sealed?: { store: SealedJobs; units: (modelName: string) => bigint };
};

/** The served models' ids among the polled names; 400 naming `models` when none is served. */
function polledModels(core: GatewayCore, names: string[]): Hex[] {
  if (names.length === 0)
    throw new GatewayError(
      400,
      'NoModels',
      'models: expected ?models=a,b naming at least one model',
      'models',
    );
  const ids = [...new Set(names)].flatMap((n) => {
    const id = core.modelIds.get(n);
    return id ? [id] : [];
  });
  if (ids.length === 0)
    throw new GatewayError(
      400,
      'UnknownModel',
      `models: none of ${names.join(', ')} is served here; this gateway serves ${[...core.modelIds.keys()].join(', ')}`,
      'models',
    );
  return ids.slice(0, 64);
}

/**
 * A poll: leases the next job for one of the polled models, in the protocol's order (Dedicated
 * within rate first, then Included round-robin; `leaseJob`), or answers null (204). An anonymous
 * poll gets a bearer lease any registered worker may answer; a poll naming its worker (the hint)
 * gets a lease only that worker may answer, and its chain head as `prevReceipt`.
 */
export function handOutJob(p: HandOutJobParameters): JobOffer | null {
  const { core } = p;
  const ids = polledModels(core, p.models);
  let boundKey: string | null = null;
  if (p.hint !== undefined) {
    const address = workerAddressOf(p.hint, workerKeyHeader);
    if (p.registration.mode !== 'open' && !core.workers.has(address))
      throw new GatewayError(
        403,
        'UnknownWorker',
        `${workerKeyHeader}: ${String(p.hint).slice(0, 24)}… is not a registered worker of this gateway`,
        workerKeyHeader,
      );
    boundKey = p.hint as string;
  }
  // A poll naming its worker first releases a sealed job held for it (leased just below).
  if (boundKey && p.sealed) releaseSealed(core, p.sealed.store, boundKey, p.sealed.units);
  const now = core.nowMs();
  const r = core.act(
    { type: 'leaseJob', models: ids, leaseUntilMs: now + p.leaseMs },
    boundKey ? { boundKey } : undefined,
    now,
  );
  if (!r.ok) throw new GatewayError(503, r.code, `leaseJob: ${r.message}`, null);
  const leased = r.events.find((e) => e.type === 'JobLeased');
  if (!leased) return null;
  const job = core.jobs.get(leased.jobId)!;
  // Only a sealed job whose lease lapsed comes back to the queue; no other worker can open it,
  // so this poll gets nothing and the lease lapses again (its worker's poll takes it after).
  if (job.sealedFor !== undefined && job.sealedFor !== boundKey) return null;
  const head = boundKey ? core.workers.get(workerAddressOf(boundKey, workerKeyHeader))?.head : '';
  return { id: job.lease!.id, params: job.params, ...(head ? { prevReceipt: head } : {}) };
}
