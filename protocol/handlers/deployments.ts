import type { Action } from '../actions.ts';
import { type Rejection, reject } from '../rejections.ts';
import type { Address, Deployment, State, Worker } from '../types.ts';
import type { Handler, StepContext } from './context.ts';
import { isModelId } from './reservations.ts';
import { refreshWorkerIndex } from './routing.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/** At most this many replicas per deployment, and deployments at once (placement walks them all). */
export const deploymentReplicasMax = 64;
export const deploymentsMax = 256;
/** Regions and tags: 1..32 lower-case letters, digits and dashes. */
const labelPattern = /^[a-z0-9-]{1,32}$/;
export const workerTagsMax = 8;
export const isLabel = (v: unknown): v is string => typeof v === 'string' && labelPattern.test(v);
const isSize = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/**
 * The placement rank of a worker for a model: FNV-1a (32 bits) over the model id and the
 * worker's address. Lower ranks are chosen first (rendezvous hashing): each model prefers its
 * own order of workers, so replicas spread, and a worker joining or leaving moves only the
 * replicas it takes or held.
 */
export function placementRank(model: string, worker: Address): number {
  let h = 0x811c9dc5;
  const text = `${model}${worker}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Bytes of a worker's memory that its placed replicas (pending or ready) take. */
export function usedMemoryBytes(state: State, w: Worker): number {
  let used = 0;
  for (const m of w.replicas ?? []) used += state.deployments?.get(m)?.sizeBytes ?? 0;
  return used;
}

/**
 * May `w` take a new replica of `d`: active, online, not jailed, declared memory at least the
 * deployment's minimum with room for the model beside its other replicas, in the region and
 * carrying the tag when the deployment names them, and not already holding it.
 */
export function canHost(state: State, d: Deployment, w: Worker): boolean {
  return (
    w.status === 'active' &&
    w.online &&
    !w.jailed &&
    w.memoryBytes !== undefined &&
    w.memoryBytes >= d.minMemoryBytes &&
    w.memoryBytes - usedMemoryBytes(state, w) >= d.sizeBytes &&
    (d.region === null || w.region === d.region) &&
    (d.tag === null || (w.tags?.includes(d.tag) ?? false)) &&
    !d.holders.has(w.address)
  );
}

function place(ctx: StepContext, d: Deployment, w: Worker): void {
  d.holders.set(w.address, false);
  if (w.replicas) w.replicas.push(d.model);
  else w.replicas = [d.model];
  ctx.events.push({
    type: 'ReplicaPlaced',
    model: d.model,
    worker: w.address,
    sizeBytes: d.sizeBytes,
  });
}

function drop(
  ctx: StepContext,
  d: Deployment,
  w: Worker,
  reason: 'offline' | 'exited' | 'scaled' | 'removed',
): void {
  d.holders.delete(w.address);
  const rest = (w.replicas ?? []).filter((m) => m !== d.model);
  if (rest.length > 0) w.replicas = rest;
  else delete w.replicas;
  ctx.state.freeWorkers.get(d.model)?.delete(w.address);
  ctx.events.push({ type: 'ReplicaDropped', model: d.model, worker: w.address, reason });
}

/** Places replicas of `d` on the lowest-ranked workers that may host it, up to its target. */
function fill(ctx: StepContext, d: Deployment): void {
  const missing = d.replicas - d.holders.size;
  if (missing <= 0) return;
  const candidates: Array<[number, Worker]> = [];
  for (const w of ctx.state.workers.values())
    if (canHost(ctx.state, d, w)) candidates.push([placementRank(d.model, w.address), w]);
  candidates.sort((a, b) => (a[0] !== b[0] ? a[0] - b[0] : a[1].address < b[1].address ? -1 : 1));
  for (const [, w] of candidates.slice(0, missing)) place(ctx, d, w);
}

/** Every deployment short of its target, in creation order, gets what the fleet can give it. */
function fillAll(ctx: StepContext): void {
  for (const d of ctx.state.deployments?.values() ?? []) fill(ctx, d);
}

/** Re-placement: a worker went offline or left; its replicas move to the next workers in rank. */
export function onWorkerLost(ctx: StepContext, w: Worker, reason: 'offline' | 'exited'): void {
  const deployments = ctx.state.deployments;
  if (deployments === undefined || w.replicas === undefined) return;
  for (const model of [...w.replicas]) drop(ctx, deployments.get(model)!, w, reason);
  fillAll(ctx);
}

/** Re-placement: a worker registered or came back online; under-placed deployments may take it. */
export function onWorkerJoined(ctx: StepContext): void {
  if (ctx.state.deployments === undefined) return;
  fillAll(ctx);
}

function checkConstraints(a: {
  sizeBytes: unknown;
  minMemoryBytes?: unknown;
  region?: unknown;
  tag?: unknown;
}): Rejection | null {
  if (!isSize(a.sizeBytes))
    return reject('InvalidDeployment', `sizeBytes must be a positive integer, got ${a.sizeBytes}`);
  if (
    a.minMemoryBytes !== undefined &&
    !(
      typeof a.minMemoryBytes === 'number' &&
      Number.isSafeInteger(a.minMemoryBytes) &&
      a.minMemoryBytes >= 0
    )
  )
    return reject(
      'InvalidDeployment',
      `minMemoryBytes must be an integer ≥ 0, got ${a.minMemoryBytes}`,
    );
  if (a.region !== undefined && !isLabel(a.region))
    return reject('InvalidDeployment', `region must match ${labelPattern}, got ${a.region}`);
  if (a.tag !== undefined && !isLabel(a.tag))
    return reject('InvalidDeployment', `tag must match ${labelPattern}, got ${a.tag}`);
  return null;
}

const badReplicas = (replicas: unknown): Rejection | null =>
  Number.isSafeInteger(replicas) &&
  (replicas as number) >= 1 &&
  (replicas as number) <= deploymentReplicasMax
    ? null
    : reject(
        'InvalidDeployment',
        `replicas must be in 1..${deploymentReplicasMax}, got ${String(replicas)}`,
      );

function owned(state: State, model: string, owner: Address): Deployment | Rejection {
  const d = state.deployments?.get(model);
  if (!d) return reject('UnknownDeployment', `no deployment of ${model}`);
  if (d.owner !== owner)
    return reject('NotDeploymentOwner', `${owner} does not own the deployment of ${model}`);
  return d;
}

export const deployModel: Handler<A<'deployModel'>> = (ctx, a) => {
  const { state } = ctx;
  if (!isModelId(a.model))
    return reject('InvalidDeployment', `model must be a bytes32 hex id (sha256), got ${a.model}`);
  const bad = checkConstraints(a) ?? badReplicas(a.replicas);
  if (bad) return bad;
  if (state.deployments?.has(a.model))
    return reject('DeploymentExists', `${a.model} is already deployed`);
  if ((state.deployments?.size ?? 0) >= deploymentsMax)
    return reject('InvalidDeployment', `at most ${deploymentsMax} deployments at once`);
  const d: Deployment = {
    model: a.model,
    owner: a.owner,
    sizeBytes: a.sizeBytes,
    replicas: a.replicas,
    minMemoryBytes: a.minMemoryBytes ?? 0,
    region: a.region ?? null,
    tag: a.tag ?? null,
    holders: new Map(),
  };
  if (state.deployments) state.deployments.set(a.model, d);
  else state.deployments = new Map([[a.model, d]]);
  // From now on only ready replicas take the model's jobs: nobody holds one yet.
  state.freeWorkers.get(a.model)?.clear();
  ctx.events.push({
    type: 'DeploymentCreated',
    model: a.model,
    owner: a.owner,
    replicas: a.replicas,
  });
  fill(ctx, d);
  return null;
};

export const scaleDeployment: Handler<A<'scaleDeployment'>> = (ctx, a) => {
  const { state } = ctx;
  const d = owned(state, a.model, a.owner);
  if ('ok' in d) return d;
  const bad = badReplicas(a.replicas);
  if (bad) return bad;
  d.replicas = a.replicas;
  ctx.events.push({ type: 'DeploymentScaled', model: a.model, replicas: a.replicas });
  if (d.holders.size > d.replicas) {
    // Shrinking drops transfers still running first, then the latest placed ready replicas.
    const order = [...d.holders].reverse();
    const victims = [...order.filter(([, r]) => !r), ...order.filter(([, r]) => r)]
      .slice(0, d.holders.size - d.replicas)
      .map(([w]) => w);
    for (const w of victims) drop(ctx, d, state.workers.get(w)!, 'scaled');
    fillAll(ctx);
  } else fill(ctx, d);
  return null;
};

export const removeDeployment: Handler<A<'removeDeployment'>> = (ctx, a) => {
  const { state } = ctx;
  const d = owned(state, a.model, a.owner);
  if ('ok' in d) return d;
  for (const w of [...d.holders.keys()]) drop(ctx, d, state.workers.get(w)!, 'removed');
  state.deployments!.delete(a.model);
  if (state.deployments!.size === 0) delete state.deployments;
  ctx.events.push({ type: 'DeploymentRemoved', model: a.model });
  // The model is served as before deployments: by the workers that list it.
  for (const w of state.workers.values())
    if (w.models.includes(a.model)) refreshWorkerIndex(state, w);
  fillAll(ctx);
  return null;
};

export const replicaReady: Handler<A<'replicaReady'>> = (ctx, a) => {
  const { state } = ctx;
  const d = state.deployments?.get(a.model);
  if (!d) return reject('UnknownDeployment', `no deployment of ${a.model}`);
  const ready = d.holders.get(a.worker);
  if (ready === undefined)
    return reject('ReplicaNotPlaced', `${a.worker} holds no replica of ${a.model}`);
  if (ready) return reject('ReplicaAlreadyReady', `${a.worker}'s replica of ${a.model} is ready`);
  d.holders.set(a.worker, true);
  refreshWorkerIndex(state, state.workers.get(a.worker)!);
  ctx.events.push({ type: 'ReplicaReady', model: a.model, worker: a.worker });
  return null;
};

/** Ready replicas of a deployed model (0 when it is not deployed). */
export function readyReplicas(d: Deployment): number {
  let n = 0;
  for (const r of d.holders.values()) if (r) n++;
  return n;
}
