import type { State, Worker } from '../types.ts';

/** A worker may take jobs: registered and active, bonded, not jailed, online (available). */
export function isRoutable(state: State, w: Worker): boolean {
  return (
    w.status === 'active' &&
    !w.jailed &&
    w.online &&
    w.bondMicroUsdc >= state.params.workerBondMinMicroUsdc
  );
}

/** Keeps the per-model free-worker index in step with one worker's slots and eligibility. */
export function refreshWorkerIndex(state: State, w: Worker): void {
  const free = isRoutable(state, w) && w.activeJobs < w.slots;
  for (const model of w.models) {
    let set = state.freeWorkers.get(model);
    if (!set) {
      set = new Set();
      state.freeWorkers.set(model, set);
    }
    if (free) set.add(w.address);
    else set.delete(w.address);
  }
}

export function removeFromIndex(state: State, w: Worker): void {
  for (const model of w.models) state.freeWorkers.get(model)?.delete(w.address);
}

/** reliability(a) > reliability(b), exactly: served/(served+failed) by cross-multiplying; new = 1. */
function moreReliable(a: Worker, b: Worker): boolean {
  const ta = a.served + a.failed;
  const tb = b.served + b.failed;
  const [na, da] = ta === 0 ? [1, 1] : [a.served, ta];
  const [nb, db] = tb === 0 ? [1, 1] : [b.served, tb];
  // Counts stay far below 2^26, so the products are exact doubles.
  return na * db > nb * da;
}

/**
 * Routing: among the first `routingScanMax` free workers for the model (in rotation order),
 * the most reliable one. The chosen worker moves to the back of the rotation.
 */
export function pickWorker(state: State, model: string): Worker | null {
  const set = state.freeWorkers.get(model);
  if (!set || set.size === 0) return null;
  let best: Worker | null = null;
  let scanned = 0;
  for (const address of set) {
    const w = state.workers.get(address)!;
    if (best === null || moreReliable(w, best)) best = w;
    if (++scanned >= state.params.routingScanMax) break;
  }
  if (best) {
    set.delete(best.address);
    set.add(best.address);
  }
  return best;
}
