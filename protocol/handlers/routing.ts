import type { Address, State, Worker } from '../types.ts';
import { attested } from './kyc.ts';

/** A worker may take jobs: registered and active, bonded, not jailed, online (available). */
export function isRoutable(state: State, w: Worker): boolean {
  return (
    w.status === 'active' &&
    !w.jailed &&
    w.online &&
    w.bondMicroUsdc >= state.params.workerBondMinMicroUsdc &&
    w.availabilityScore >= state.params.availabilityMinScore &&
    (!state.params.kycRequired || w.attestationExpiresAtMs > 0) &&
    // Ratio1: a licence the owner banned takes no jobs (ratio1Bans.ts).
    !state.ratio1?.banned?.has(w.address)
  );
}

function indexAs(state: State, model: string, address: Address, free: boolean): void {
  let set = state.freeWorkers.get(model);
  if (!set) {
    set = new Set();
    state.freeWorkers.set(model, set);
  }
  if (free) set.add(address);
  else set.delete(address);
}

/**
 * Keeps the per-model free-worker index in step with one worker's slots and eligibility. A
 * deployed model's index holds only workers with a ready replica of it (deployments.ts).
 */
export function refreshWorkerIndex(state: State, w: Worker): void {
  const free = isRoutable(state, w) && w.activeJobs < w.slots;
  const deployed = state.deployments;
  for (const model of w.models)
    if (deployed === undefined || !deployed.has(model)) indexAs(state, model, w.address, free);
  if (w.replicas !== undefined)
    for (const model of w.replicas)
      indexAs(state, model, w.address, free && deployed!.get(model)!.holders.get(w.address)!);
}

export function removeFromIndex(state: State, w: Worker): void {
  for (const model of w.models) state.freeWorkers.get(model)?.delete(w.address);
  if (w.replicas !== undefined)
    for (const model of w.replicas) state.freeWorkers.get(model)?.delete(w.address);
}

/**
 * weight(a) > weight(b), exactly: reliability served/(served+failed) (new = 1), times the
 * availability score when weighting is on, compared by cross-multiplying.
 */
function preferred(a: Worker, b: Worker, byAvailability: boolean): boolean {
  const ta = a.served + a.failed;
  const tb = b.served + b.failed;
  // No destructured pairs: they allocated two arrays per comparison (most of a dispatch's garbage).
  let na = ta === 0 ? 1 : a.served;
  const da = ta === 0 ? 1 : ta;
  let nb = tb === 0 ? 1 : b.served;
  const db = tb === 0 ? 1 : tb;
  if (byAvailability) {
    na *= a.availabilityScore;
    nb *= b.availabilityScore;
  }
  // Counts stay below 2^26 and scores below 2^8, so the products are exact doubles.
  return na * db > nb * da;
}

/**
 * Routing: among the first `routingScanMax` free workers for the model (in rotation order),
 * the most reliable one. The chosen worker moves to the back of the rotation.
 */
export function pickWorker(state: State, model: string, nowMs: number): Worker | null {
  const set = state.freeWorkers.get(model);
  if (!set || set.size === 0) return null;
  let best: Worker | null = null;
  let scanned = 0;
  const byAvailability = state.params.availabilityWeighting;
  for (const address of set) {
    const w = state.workers.get(address)!;
    if (!attested(state, w.attestationExpiresAtMs, nowMs)) {
      // A lapsed attestation takes the worker out of routing until renewed.
      set.delete(address);
      continue;
    }
    if (best === null || preferred(w, best, byAvailability)) best = w;
    if (++scanned >= state.params.routingScanMax) break;
  }
  if (best) {
    set.delete(best.address);
    set.add(best.address);
    compactRotation(state, model, set);
  }
  return best;
}

/**
 * Rotations since a free-worker set was last rebuilt. V8 leaves a deleted entry of a Set in
 * place until it rehashes, and iteration walks over it: rotating one worker to the back a pick
 * at a time piles such holes up at the front, and a pick of 1,000 workers then spent about half
 * its time skipping them. A copy (same members, same order: same state and hash) every `size`
 * rotations keeps that bounded. Only speed depends on this count.
 */
const rotations = new WeakMap<Set<Address>, number>();

function compactRotation(state: State, model: string, set: Set<Address>): void {
  const n = (rotations.get(set) ?? 0) + 1;
  if (n < 64 || n < set.size) {
    rotations.set(set, n);
    return;
  }
  state.freeWorkers.set(model, new Set(set));
}
