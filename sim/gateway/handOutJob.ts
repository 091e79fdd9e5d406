import type { OneWorkerReceipt } from '../../protocol/index.ts';
import { simAttestationFor } from '../../protocol/testing/fixtures.ts';
import type { ChatParams, GatewayCore, GatewayWorker } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';
import { modelIdFor } from './modelIds.ts';
import { workerAddressOf } from './workerIdentity.ts';

/** What `GET /jobs/next` answers: the ONE worker protocol's job. */
export type JobOffer = { id: number; params: ChatParams; prevReceipt?: OneWorkerReceipt };

export type HandOutJobParameters = {
  core: GatewayCore;
  /** The worker's base64 SPKI ed25519 key (the poll's header). */
  key: unknown;
  /** `models=a,b` of the poll. */
  models: string[];
  slots: number;
};

/** Registers a first-time worker in the protocol: the gateway deposits its bond and attests it. */
function register(core: GatewayCore, key: string, models: string[], slots: number): GatewayWorker {
  const address = workerAddressOf(key);
  const known = core.workers.get(address);
  if (known) return known;
  if (models.length === 0)
    throw new GatewayError(
      400,
      'NoModels',
      'models: expected ?models=a,b naming at least one model',
      'models',
    );
  const ids = models.map((m) => modelIdFor(core.modelIds, m, 'models'));
  const bond = core.params.workerBondMinMicroUsdc;
  const yearMs = 365 * 86_400_000;
  const attestation = core.params.kycRequired
    ? simAttestationFor(core.params, address, core.nowMs() + 10 * yearMs)
    : undefined;
  const deposited = core.act({ type: 'deposit', account: address, asset: 'usdc', amount: bond });
  if (!deposited.ok) throw new GatewayError(503, deposited.code, deposited.message);
  const r = core.act(
    {
      type: 'registerWorker',
      worker: address,
      models: [...new Set(ids)],
      slots,
      capacityCuPerSec: 1_000n,
      bondMicroUsdc: bond,
      ...(attestation ? { attestation } : {}),
    },
    { workerKey: key },
  );
  if (!r.ok) throw new GatewayError(400, r.code, `registerWorker: ${r.message}`, 'models');
  return core.workers.get(address)!;
}

function takeAssigned(core: GatewayCore, w: GatewayWorker, models: Set<string>): JobOffer | null {
  const i = w.assigned.findIndex((id) => models.has(core.jobs.get(id)?.modelName ?? ''));
  if (i < 0) return null;
  const job = core.jobs.get(w.assigned[i]!)!;
  w.assigned.splice(i, 1);
  job.handedOut = true;
  return {
    id: job.id,
    params: job.params,
    ...(w.lastReceipt ? { prevReceipt: w.lastReceipt } : {}),
  };
}

/**
 * A poll: the oldest job the protocol dispatched to this worker for one of its models, or null
 * (204). Runs the scheduler when nothing waits, so a poll can pick up queued work at once.
 */
export function handOutJob(p: HandOutJobParameters): JobOffer | null {
  const key = typeof p.key === 'string' ? p.key : '';
  const w = register(p.core, key, p.models, p.slots);
  const models = new Set(p.models);
  const ready = takeAssigned(p.core, w, models);
  if (ready) return ready;
  p.core.act({ type: 'dispatch' });
  return takeAssigned(p.core, w, models);
}
