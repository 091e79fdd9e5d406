import { isRoutable } from '../handlers/routing.ts';
import type { State } from '../types.ts';
import type { InvariantViolation } from './stateInvariants.ts';
import type { StepCheckParameters } from './stepInvariants.ts';

/**
 * Deployments (step part): a deployed model's job is handed only to a worker holding a ready
 * replica of it, and never leased to an unnamed worker (who cannot show one).
 */
export function checkDeploymentStep(p: StepCheckParameters, out: InvariantViolation[]): void {
  const deployments = p.state.deployments;
  if (deployments === undefined) return;
  for (const e of p.events) {
    if (e.type !== 'JobDispatched' && e.type !== 'JobLeased') continue;
    const d = deployments.get(e.model);
    if (d === undefined) continue;
    if (e.type === 'JobLeased')
      out.push({
        invariant: 'deployments',
        message: `job ${e.jobId} of deployed model ${e.model} was leased to an unnamed worker`,
      });
    else if (d.holders.get(e.worker) !== true)
      out.push({
        invariant: 'deployments',
        message: `job ${e.jobId} of deployed model ${e.model} went to ${e.worker}, which holds no ready replica (${d.holders.has(e.worker) ? 'still transferring' : 'not placed'})`,
      });
  }
}

/**
 * Deployments (state part): replica bookkeeping agrees with the workers. Each deployment holds
 * at most its target; every holder is an active, online worker that lists the replica, fits it
 * in its declared memory and meets the placement constraints; every replica a worker lists is
 * of a live deployment that lists the worker; a deployed model's routing index holds only
 * ready holders.
 */
export function replicasAgree(s: State, out: InvariantViolation[]): void {
  const bad = (message: string) => out.push({ invariant: 'deployments', message });
  const deployments = s.deployments;
  if (deployments !== undefined && deployments.size === 0)
    bad('an empty deployment map is kept (it must be absent)');
  for (const d of deployments?.values() ?? []) {
    if (d.holders.size > d.replicas)
      bad(`${d.model}: ${d.holders.size} replicas placed, target ${d.replicas}`);
    for (const address of d.holders.keys()) {
      const w = s.workers.get(address);
      if (!w) {
        bad(`${d.model}: holder ${address} is not a worker`);
        continue;
      }
      if (w.status !== 'active' || !w.online)
        bad(`${d.model}: holder ${address} is ${w.status}${w.online ? '' : ', offline'}`);
      if (!w.replicas?.includes(d.model))
        bad(`${d.model}: holder ${address} does not list the replica`);
      if (
        w.memoryBytes === undefined ||
        w.memoryBytes < d.minMemoryBytes ||
        w.memoryBytes < d.sizeBytes ||
        (d.region !== null && w.region !== d.region) ||
        (d.tag !== null && !(w.tags?.includes(d.tag) ?? false))
      )
        bad(`${d.model}: holder ${address} does not meet the placement constraints`);
    }
    const index = s.freeWorkers.get(d.model);
    for (const address of index ?? [])
      if (d.holders.get(address) !== true)
        bad(`${d.model}: ${address} is in the routing index without a ready replica`);
    for (const [address, ready] of d.holders) {
      const w = s.workers.get(address);
      if (!ready || !w || !isRoutable(s, w) || w.activeJobs >= w.slots) continue;
      const lapsed = s.params.kycRequired && w.attestationExpiresAtMs <= s.nowMs;
      if (!lapsed && !(index?.has(address) ?? false))
        bad(`${d.model}: ${address} holds a ready replica and a free slot but is not indexed`);
    }
  }
  for (const w of s.workers.values()) {
    if (w.replicas === undefined) continue;
    if (w.replicas.length === 0) bad(`${w.address} keeps an empty replica list`);
    if (new Set(w.replicas).size !== w.replicas.length) bad(`${w.address} lists a replica twice`);
    let used = 0;
    for (const m of w.replicas) {
      const d = deployments?.get(m);
      if (!d?.holders.has(w.address)) bad(`${w.address} lists a replica of ${m} it was not placed`);
      used += d?.sizeBytes ?? 0;
    }
    if (used > (w.memoryBytes ?? 0))
      bad(`${w.address}: replicas take ${used} bytes, memory is ${w.memoryBytes ?? 0}`);
  }
}
