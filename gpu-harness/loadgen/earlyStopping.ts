/**
 * MLPerf LoadGen's early-stopping estimator (loadgen/early_stopping.cc), computed exactly.
 *
 * A query is "over" when its latency exceeds the bound. If the true percentile `p` (e.g. 0.90)
 * were *not* met, each query would be over with probability ≥ 1 − p. Seeing at most `t` over
 * among `n` queries then has probability at most BinomCdf(t; n, 1 − p). When that is
 * ≤ 1 − confidence (0.01), we conclude with 99% confidence that the p-th percentile meets
 * the bound. LoadGen calls n − t = h the under-latency queries and searches the minimum h.
 *
 * - Server: t = queries over the latency bound; the run passes if n ≥ minPassing(t) + t.
 * - SingleStream: no bound; the largest t with BinomCdf(t; n, 1 − p) ≤ 1 − c gives the
 *   estimate sorted[n − t] (ascending, 0-based): discard the t − 1 highest latencies and take
 *   the next. Needs t ≥ 1, i.e. at least 64 queries for p = 0.90 at 99% confidence.
 * Tolerance `d` of LoadGen is 0 here, as in LoadGen's defaults.
 */

function logAdd(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/** P(X ≤ t) for X ~ Binomial(n, q), summed in log space so large n cannot underflow. */
export function binomialCdf(t: number, n: number, q: number): number {
  if (t < 0) return 0;
  if (t >= n) return 1;
  let logPmf = n * Math.log1p(-q); // k = 0
  let logCdf = logPmf;
  const logRatio = Math.log(q) - Math.log1p(-q);
  for (let k = 0; k < t; k++) {
    logPmf += Math.log((n - k) / (k + 1)) + logRatio;
    logCdf = logAdd(logCdf, logPmf);
  }
  return Math.min(1, Math.exp(logCdf));
}

export type EarlyStoppingTarget = { percentile: number; confidence: number };

function assertTarget({ percentile, confidence }: EarlyStoppingTarget): void {
  if (!(percentile > 0 && percentile < 1))
    throw new Error(`percentile: must be in (0, 1), got ${percentile}`);
  if (!(confidence > 0 && confidence < 1))
    throw new Error(`confidence: must be in (0, 1), got ${confidence}`);
}

/** Minimum under-latency queries h such that t over-latency queries still pass (LoadGen's find_min_passing). */
export function minPassingQueries(overLatency: number, target: EarlyStoppingTarget): number {
  assertTarget(target);
  const alpha = 1 - target.confidence;
  const passes = (h: number) =>
    binomialCdf(overLatency, h + overLatency, 1 - target.percentile) <= alpha;
  let hi = 1;
  while (!passes(hi)) {
    hi *= 2;
    if (hi > 2 ** 40) throw new Error(`minPassingQueries: no bound for overLatency ${overLatency}`);
  }
  let lo = hi === 1 ? 0 : hi / 2;
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (passes(mid)) hi = mid;
    else lo = mid;
  }
  return passes(lo) ? lo : hi;
}

export type ServerEarlyStopping = { passed: boolean; overLatency: number; queriesNeeded: number };

/** Server: do n queries with `overLatency` over the bound show the percentile holds? */
export function serverEarlyStopping(
  queries: number,
  overLatency: number,
  target: EarlyStoppingTarget,
): ServerEarlyStopping {
  const queriesNeeded = minPassingQueries(overLatency, target) + overLatency;
  return { passed: queries >= queriesNeeded, overLatency, queriesNeeded };
}

export type SingleStreamEarlyStopping =
  | { passed: true; estimateMs: number; discarded: number; queriesNeeded: number }
  | { passed: false; estimateMs: null; discarded: 0; queriesNeeded: number };

/** SingleStream: the latency that the percentile stays under with the given confidence. */
export function singleStreamEarlyStopping(
  sortedLatenciesMs: readonly number[],
  target: EarlyStoppingTarget,
): SingleStreamEarlyStopping {
  const n = sortedLatenciesMs.length;
  const queriesNeeded = minPassingQueries(1, target) + 1;
  if (n < queriesNeeded) return { passed: false, estimateMs: null, discarded: 0, queriesNeeded };
  const q = 1 - target.percentile;
  const alpha = 1 - target.confidence;
  // Largest t with BinomCdf(t; n, q) ≤ alpha, accumulating the CDF term by term (O(t)).
  const logAlpha = Math.log(alpha);
  const logRatio = Math.log(q) - Math.log1p(-q);
  let logPmf = n * Math.log1p(-q);
  let logCdf = logPmf;
  let t = 0;
  while (t < n) {
    logPmf += Math.log((n - t) / (t + 1)) + logRatio;
    const next = logAdd(logCdf, logPmf);
    if (next > logAlpha) break;
    logCdf = next;
    t++;
  }
  return { passed: true, estimateMs: sortedLatenciesMs[n - t]!, discarded: t - 1, queriesNeeded };
}
