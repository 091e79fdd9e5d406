import { Worker } from 'node:worker_threads';
import { type Hex, type State, stateHash } from '../../protocol/index.ts';

type Waiting = { resolve: (hash: Hex) => void; reject: (error: Error) => void };

/**
 * State hashes taken on another thread (issue 16: the second core takes work that does not need
 * the live state). `hash(state)` copies the state now (a structured clone: ~1/3 of the cost of
 * hashing it here, for the baseline's ~12k open jobs) and the worker hashes the copy while the
 * caller goes on. A clone keeps everything the canonical encoding reads (key and insertion
 * order, bigints, undefined, holes), so the hash is the one `stateHash` gives here; a state that
 * cannot be cloned is hashed here. Replies come in order. The worker holds the process open only
 * while a hash is pending; `close()` ends it.
 */
export class BackgroundStateHasher {
  private worker: Worker | null = null;
  private failure: Error | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  hash(state: State): Promise<Hex> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.start();
    const id = this.nextId++;
    try {
      worker.postMessage({ id, state });
    } catch {
      // Not cloneable (a function or symbol in the state): hash it here, as before.
      return Promise.resolve(stateHash(state));
    }
    if (this.waiting.size === 0) worker.ref();
    return new Promise<Hex>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  /** Ends the worker; hashes still pending are rejected. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.fail(new Error('state hasher closed'));
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./stateHashWorkerEntry.mjs', import.meta.url));
    worker.unref();
    worker.on('message', (m: { id: number; hash: Hex }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) worker.unref();
      w.resolve(m.hash);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => {
      if (this.waiting.size > 0) this.fail(new Error(`state hash worker exited (${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
