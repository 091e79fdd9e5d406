import type { Action } from '../actions.ts';
import type { ProtocolEvent } from '../events.ts';
import type { Address, Deployment, State, Worker } from '../types.ts';

type Check = (events: readonly ProtocolEvent[], after: State) => string | null;

/** FNV-1a, 32 bits, over the model id followed by the worker's address (protocol/README.md). */
function rank(model: string, worker: Address): number {
  let h = 0x811c9dc5;
  for (const ch of `${model}${worker}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Lower rank first, ties by address. */
const before = (model: string, x: Address, y: Address) => {
  const rx = rank(model, x);
  const ry = rank(model, y);
  return rx !== ry ? rx < ry : x < y;
};

/**
 * "Who may host" (protocol/README.md, Deployments), read from the deployments rather than from the
 * worker's own replica list: the memory a worker's replicas take is the size of every deployment
 * that lists it as a holder.
 */
function mayHost(s: State, d: Deployment, w: Worker): boolean {
  if (w.status !== 'active' || !w.online || w.jailed || w.memoryBytes === undefined) return false;
  let used = 0;
  for (const x of s.deployments?.values() ?? []) if (x.holders.has(w.address)) used += x.sizeBytes;
  return (
    w.memoryBytes >= d.minMemoryBytes &&
    w.memoryBytes - used >= d.sizeBytes &&
    (d.region === null || w.region === d.region) &&
    (d.tag === null || (w.tags ?? []).includes(d.tag)) &&
    !d.holders.has(w.address)
  );
}

const key = (h: ReadonlyMap<Address, boolean>) =>
  [...h].map(([w, r]) => `${w}:${r ? 'ready' : 'pending'}`).join(',');

/**
 * Deployments' placement (protocol/README.md, "Placement" and "Re-placement") as the audit's
 * `actionEffects` check sees it, around every accepted step of a run that has deployments (issue
 * 21; the `deployments` invariant checks that the books agree, this checks that the rule chose):
 *
 * - replicas appear and disappear only with ReplicaPlaced and ReplicaDropped events (new ones
 *   pending), and are ready only after their worker's replicaReady: nothing moves otherwise;
 * - every replica placed went to a worker ranked before every worker that could still host the
 *   model after the step (placement takes the lowest ranks, FNV-1a of model ‖ address);
 * - after a step that fills (registration, a worker back online, a holder lost, scale, removal:
 *   every deployment; a new deployment: itself), no deployment short of its target leaves a
 *   worker that may host it;
 * - a new deployment is what was asked (owner, size, target, minimum memory 0 and no region or
 *   tag unless given); scaling down drops pending replicas first, the latest placed first, then
 *   the latest placed ready ones; a removal drops every replica; a holder that goes offline or
 *   exits loses all its replicas, with that reason.
 */
export function placementCheck(s: State, a: Action): Check | null {
  if (s.deployments === undefined && a.type !== 'deployModel') return null;
  const holders = new Map(
    [...(s.deployments ?? new Map<string, Deployment>())].map(([m, d]) => [m, new Map(d.holders)]),
  );
  const lostWorker =
    (a.type === 'setWorkerOnline' && a.online !== true) || a.type === 'exitWorker'
      ? s.workers.get(a.worker)
      : undefined;
  const lost =
    lostWorker?.status === 'active'
      ? [...holders].filter(([, h]) => h.has(lostWorker.address)).map(([m]) => m)
      : [];
  const reason = a.type === 'exitWorker' ? 'exited' : 'offline';
  const fillsAll =
    a.type === 'registerWorker' ||
    (a.type === 'setWorkerOnline' && a.online === true) ||
    lost.length > 0 ||
    (a.type === 'scaleDeployment' && (holders.get(a.model)?.size ?? 0) > a.replicas) ||
    a.type === 'removeDeployment';
  const fillsOne = a.type === 'deployModel' || a.type === 'scaleDeployment' ? a.model : null;
  let victims: Address[] | null = null;
  if (a.type === 'scaleDeployment') {
    const order = [...(holders.get(a.model) ?? [])].reverse();
    victims = [...order.filter(([, r]) => !r), ...order.filter(([, r]) => r)]
      .slice(0, Math.max(0, order.length - a.replicas))
      .map(([w]) => w);
  }
  return (events, after) => {
    const at = a.type;
    const placed = events.filter((e) => e.type === 'ReplicaPlaced');
    const dropped = events.filter((e) => e.type === 'ReplicaDropped');
    // The books move only with the events.
    const want = new Map([...holders].map(([m, h]) => [m, new Map(h)]));
    for (const e of dropped) want.get(e.model)?.delete(e.worker);
    if (a.type === 'removeDeployment') want.delete(a.model);
    if (a.type === 'deployModel') want.set(a.model, new Map());
    for (const e of placed) want.get(e.model)?.set(e.worker, false);
    if (a.type === 'replicaReady') want.get(a.model)?.set(a.worker, true);
    const got = new Map([...(after.deployments ?? [])].map(([m, d]) => [m, d.holders]));
    for (const m of new Set([...want.keys(), ...got.keys()]))
      if (
        key(want.get(m) ?? new Map()) !== key(got.get(m) ?? new Map()) ||
        want.has(m) !== got.has(m)
      )
        return `${at}: ${m}'s replicas are [${got.has(m) ? key(got.get(m)!) : 'no deployment'}]; its events say [${want.has(m) ? key(want.get(m)!) : 'no deployment'}]`;
    for (const e of placed) {
      const d = after.deployments?.get(e.model);
      if (!d || e.sizeBytes !== d.sizeBytes)
        return `${at}: ReplicaPlaced ${e.model} on ${e.worker} says ${e.sizeBytes} bytes; the deployment has ${d?.sizeBytes}`;
    }
    // Lowest ranks first.
    for (const d of after.deployments?.values() ?? []) {
      const mine = placed.filter((e) => e.model === d.model).map((e) => e.worker);
      if (mine.length === 0) continue;
      const skipped = [...after.workers.values()].filter((w) => mayHost(after, d, w));
      for (const p of mine)
        for (const w of skipped)
          if (!before(d.model, p, w.address))
            return `${at}: a replica of ${d.model} went to ${p} (rank ${rank(d.model, p)}) while ${w.address} (rank ${rank(d.model, w.address)}) could host it`;
    }
    // Fills leave no deployment short of its target while a worker may host it.
    for (const d of after.deployments?.values() ?? []) {
      if (!(fillsAll || d.model === fillsOne) || d.holders.size >= d.replicas) continue;
      const w = [...after.workers.values()].find((x) => mayHost(after, d, x));
      if (w)
        return `${at}: ${d.model} has ${d.holders.size} of ${d.replicas} replicas while ${w.address} may host it`;
    }
    if (a.type === 'deployModel') {
      const d = after.deployments?.get(a.model);
      const fields = (x: Partial<Deployment> | undefined) =>
        JSON.stringify([x?.owner, x?.sizeBytes, x?.replicas, x?.minMemoryBytes, x?.region, x?.tag]);
      const asked = {
        owner: a.owner,
        sizeBytes: a.sizeBytes,
        replicas: a.replicas,
        minMemoryBytes: a.minMemoryBytes ?? 0,
        region: a.region ?? null,
        tag: a.tag ?? null,
      };
      if (fields(d) !== fields(asked))
        return `deployModel: the deployment of ${a.model} is ${fields(d)}; asked ${fields(asked)}`;
    }
    if (a.type === 'scaleDeployment') {
      const d = after.deployments?.get(a.model);
      const gone = dropped.filter((e) => e.reason === 'scaled').map((e) => e.worker);
      if (d?.replicas !== a.replicas || gone.join(',') !== (victims ?? []).join(','))
        return `scaleDeployment: ${a.model} targets ${d?.replicas} and dropped [${gone}]; the rules say ${a.replicas} and [${victims}]`;
    }
    if (a.type === 'removeDeployment') {
      const gone = dropped.filter((e) => e.reason === 'removed').map((e) => e.worker);
      const all = [...(holders.get(a.model)?.keys() ?? [])];
      if (gone.sort().join(',') !== all.sort().join(','))
        return `removeDeployment: dropped [${gone}]; the rules say every replica of ${a.model}: [${all}]`;
    }
    if (lostWorker) {
      const gone = dropped.filter((e) => e.worker === lostWorker.address && e.reason === reason);
      const models = gone.map((e) => e.model).sort();
      if (
        models.join(',') !== [...lost].sort().join(',') ||
        after.workers.get(lostWorker.address)?.replicas !== undefined
      )
        return `${at}: ${lostWorker.address} dropped [${models}] (${reason}) and lists ${JSON.stringify(after.workers.get(lostWorker.address)?.replicas)}; the rules say it loses [${lost}]`;
    }
    return null;
  };
}
