/**
 * A bounded quantile sketch for non-negative values (ms waits, CU, USDC units): log-spaced
 * buckets with ~1% relative error, fixed memory whatever the count, mergeable, deterministic.
 * Values below 1 share bucket 0; values ≥ 2^52 clamp to the last bucket.
 */
export class LogHistogram {
  static readonly growth = 1.02;
  private static readonly logGrowth = Math.log(LogHistogram.growth);
  private static readonly buckets = Math.ceil((52 * Math.log(2)) / LogHistogram.logGrowth) + 2;
  private readonly counts = new Float64Array(LogHistogram.buckets);
  count = 0;
  sum = 0;
  max = 0;

  add(value: number, times = 1): void {
    const i =
      value < 1
        ? 0
        : Math.min(
            LogHistogram.buckets - 1,
            1 + Math.floor(Math.log(value) / LogHistogram.logGrowth),
          );
    this.counts[i]! += times;
    this.count += times;
    this.sum += value * times;
    if (value > this.max) this.max = value;
  }

  merge(other: LogHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  /** The q-quantile (0..1): the geometric middle of the bucket holding it; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        if (i === 0) return 0;
        const lo = LogHistogram.growth ** (i - 1);
        return Math.min(this.max, lo * Math.sqrt(LogHistogram.growth));
      }
    }
    return this.max;
  }

  mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }
}
