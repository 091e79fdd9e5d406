import { type Address, digestJson, type Hex, Lane } from '../../protocol/index.ts';
import { isSealedBox, type SealedBox } from '../io/sealing.ts';
import type { ChatParams, GatewayCore } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';
import { workerAddressOf } from './workerIdentity.ts';

/**
 * Sealed jobs through the gateway. The requester encrypts its chat-completion params to its
 * chosen worker's X25519 key (sim/io/sealing.ts; the key reaches the requester out of band, as
 * the worker publishes it) and posts `{lane: "included", requester, model, units?, sealed:
 * {worker, box, replyTo, audit?}}`: `worker` the chosen worker's ed25519 key (its receipts'
 * `worker`), `box` the sealed params, `replyTo` the requester's X25519 key the result is sealed
 * back to, `audit` whether the requester also re-encrypted it to the audit committee (the
 * protocol's 'auditable'; else 'private'). The gateway never sees the params: the job it queues
 * and logs carries `{model, sealed: {box, replyTo}}`, whose digest is the receipts' requestHash.
 *
 * The protocol leases jobs to anonymous polls in its own order, so a sealed job waits here
 * until its worker polls naming itself (`x-one-worker`) while no other job of its model is
 * queued; it is then submitted and leased to that poll in one step. Held requests live in memory
 * (a restart loses them; submitted ones are in the log like any job).
 */
export type SealedRequest = {
  requester: Address;
  modelName: string;
  units: bigint | null;
  /** The chosen worker's ed25519 key (base64 SPKI). */
  worker: string;
  box: SealedBox;
  replyTo: string;
  audit: boolean;
};

export type SealedEntry = {
  ref: string;
  request: SealedRequest;
  status: 'held' | 'submitted' | 'refused' | 'completed';
  jobId: number | null;
  /** Why the protocol refused it at submission (credits, queue…). */
  error: string | null;
  /** The result the worker sealed to `replyTo`. */
  output: SealedBox | null;
};

export type SealedJobs = {
  entries: Map<string, SealedEntry>;
  /** Entries still held, oldest first (a poll scans only these). */
  held: SealedEntry[];
  byJob: Map<number, SealedEntry>;
  next: number;
};

export const createSealedJobs = (): SealedJobs => ({
  entries: new Map(),
  held: [],
  byJob: new Map(),
  next: 1,
});

const bad = (field: string, message: string) =>
  new GatewayError(400, 'BadJobRequest', `${field}: ${message}`, field);

/** The `sealed` part of `POST /jobs`; throws GatewayError(400) naming the field. */
export function parseSealed(
  b: Record<string, unknown>,
  requester: Address,
  modelName: string,
  units: bigint | null,
): SealedRequest {
  if (b.lane !== 'included' && b.lane !== 0)
    throw bad('lane', 'sealed jobs go in the Included lane ("included")');
  if (b.params !== undefined)
    throw bad('params', 'a sealed job carries its params only inside sealed.box');
  const s = b.sealed as Record<string, unknown> | null;
  if (s === null || typeof s !== 'object' || Array.isArray(s))
    throw bad('sealed', 'expected {worker, box, replyTo, audit?}');
  workerAddressOf(s.worker, 'sealed.worker');
  if (!isSealedBox(s.box))
    throw bad('sealed.box', 'expected {v: 1, ephemeralPublicKey, nonce, ciphertext, tag}');
  if (typeof s.replyTo !== 'string' || Buffer.from(s.replyTo, 'base64').length !== 32)
    throw bad('sealed.replyTo', 'expected a 32-byte X25519 public key, base64');
  if (s.audit !== undefined && typeof s.audit !== 'boolean')
    throw bad('sealed.audit', `expected true or false, got ${JSON.stringify(s.audit)}`);
  return {
    requester,
    modelName,
    units,
    worker: s.worker as string,
    box: s.box,
    replyTo: s.replyTo,
    audit: s.audit === true,
  };
}

/** Keeps a sealed request until its worker polls; returns its reference. */
export function holdSealed(core: GatewayCore, store: SealedJobs, r: SealedRequest): string {
  if (!core.modelIds.has(r.modelName))
    throw new GatewayError(
      400,
      'UnknownModel',
      `model: ${JSON.stringify(r.modelName)} is not served here`,
      'model',
    );
  const ref = `s${store.next++}`;
  const e: SealedEntry = {
    ref,
    request: r,
    status: 'held',
    jobId: null,
    error: null,
    output: null,
  };
  store.entries.set(ref, e);
  store.held.push(e);
  return ref;
}

/** What the worker receives and hashes: the ciphertext and where to seal the answer. */
export const sealedParams = (r: SealedRequest): ChatParams => ({
  model: r.modelName,
  sealed: { box: r.box, replyTo: r.replyTo },
});

/** Models with a queued job (one pass over the jobs; only when a sealed job is held for the poller). */
function queuedModels(core: GatewayCore): Set<Hex> {
  const out = new Set<Hex>();
  for (const j of core.state.jobs.values()) if (j.status === 'queued') out.add(j.model as Hex);
  return out;
}

/**
 * On a poll naming worker `key`: submits the first of its held sealed jobs whose model has no
 * queued job (so the lease that follows takes it). Returns the submitted job id, or null.
 */
export function releaseSealed(
  core: GatewayCore,
  store: SealedJobs,
  key: string,
  units: (modelName: string) => bigint,
): number | null {
  if (!store.held.some((e) => e.request.worker === key)) return null;
  const queued = queuedModels(core);
  for (const e of [...store.held]) {
    if (e.request.worker !== key) continue;
    const model = core.modelIds.get(e.request.modelName)!;
    if (queued.has(model)) continue;
    store.held.splice(store.held.indexOf(e), 1);
    const params = sealedParams(e.request);
    const requestHash = digestJson(params);
    const id = core.state.nextJobId;
    const r = core.act(
      {
        type: 'submitJob',
        lane: Lane.included,
        requester: e.request.requester,
        model,
        units: e.request.units ?? units(e.request.modelName),
        requestHash: `0x${requestHash}`,
        sealed: e.request.audit ? 'auditable' : 'private',
      },
      { params, modelName: e.request.modelName, requestHash, sealedFor: key },
    );
    if (!r.ok) {
      e.status = 'refused';
      e.error = `${r.code}: ${r.message}`;
      continue;
    }
    e.status = 'submitted';
    e.jobId = id;
    store.byJob.set(id, e);
    return id;
  }
  return null;
}

/** A completed sealed job keeps the result its worker sealed to the requester (checked before completing). */
export function recordSealedOutput(store: SealedJobs, jobId: number, output: SealedBox): void {
  const e = store.byJob.get(jobId);
  if (!e) return;
  e.status = 'completed';
  e.output = output;
}

/** `GET /jobs/sealed/<ref>`: where the request stands, and the sealed result once there is one. */
export function sealedStatus(store: SealedJobs, ref: string): SealedEntry {
  const e = store.entries.get(ref);
  if (!e)
    throw new GatewayError(404, 'UnknownJob', `ref: no sealed job ${JSON.stringify(ref)}`, 'ref');
  return e;
}
