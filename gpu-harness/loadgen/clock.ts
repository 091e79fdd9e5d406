/** Time source of the load generator, injectable so tests can drive it. */
export type Clock = {
  /** Epoch ms with sub-ms precision, comparable with worker timestamps. */
  nowEpochMs: () => number;
  /** Resolves after about `ms` (0: after pending I/O callbacks have run). */
  sleepMs: (ms: number) => Promise<void>;
};

export const realClock: Clock = {
  nowEpochMs: () => performance.timeOrigin + performance.now(),
  sleepMs: (ms) =>
    new Promise((resolve) => {
      if (ms <= 0) setImmediate(resolve);
      else setTimeout(resolve, ms);
    }),
};
