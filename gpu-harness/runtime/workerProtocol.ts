import type { ProviderChoice } from './providers.ts';

/** What a session reports once it is open and warm. */
export type WorkerInfo = { choice: ProviderChoice; ortVersion: string; warmupMs: number };

/** Epoch-ms with sub-ms precision (timeOrigin + now), comparable across threads. */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}
