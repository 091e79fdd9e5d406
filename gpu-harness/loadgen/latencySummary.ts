/** Latency distribution in ms; percentiles as LoadGen takes them: sorted[min(n−1, ⌊n·p⌋)]. */
export type LatencySummary = {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
};

export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentileOfSorted: no values');
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Returns null for an empty list (e.g. a run stopped before its first query finished). */
export function summariseLatencies(valuesMs: readonly number[]): LatencySummary | null {
  if (valuesMs.length === 0) return null;
  const sorted = [...valuesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    minMs: sorted[0]!,
    meanMs: sum / sorted.length,
    p50Ms: percentileOfSorted(sorted, 0.5),
    p90Ms: percentileOfSorted(sorted, 0.9),
    p99Ms: percentileOfSorted(sorted, 0.99),
    maxMs: sorted[sorted.length - 1]!,
  };
}
