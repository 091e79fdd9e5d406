import type { ProviderChoice } from './providers.ts';

/** What a session reports once it is open and warm. */
export type WorkerInfo = {
  choice: ProviderChoice;
  /** Graph nodes per execution provider in a profiled run (null on a plain cpu session). */
  placement: Record<string, number> | null;
  ortVersion: string;
  warmupMs: number;
};

/** Epoch-ms with sub-ms precision (timeOrigin + now), comparable across threads. */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}
