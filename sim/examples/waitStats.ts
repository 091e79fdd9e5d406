/**
 * Running mean of waits after a warm-up, plus batch means for a standard error: waits of
 * consecutive customers are correlated, so the naive i.i.d. error would be far too small.
 */
export class WaitStats {
  count = 0;
  private seen = 0;
  private sum = 0;
  private batchSum = 0;
  private batchFill = 0;
  private readonly skip: number;
  private readonly batchSize: number;
  private readonly batchMeans: number[] = [];

  constructor(parameters: { skip: number; measured: number; batches: number }) {
    this.skip = parameters.skip;
    this.batchSize = Math.max(1, Math.floor(parameters.measured / parameters.batches));
  }

  record(waitMs: number): void {
    if (++this.seen <= this.skip) return;
    this.count++;
    this.sum += waitMs;
    this.batchSum += waitMs;
    if (++this.batchFill === this.batchSize) {
      this.batchMeans.push(this.batchSum / this.batchSize);
      this.batchSum = 0;
      this.batchFill = 0;
    }
  }

  mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Standard error of the mean from full batches; NaN with fewer than two batches. */
  batchStdErr(): number {
    const n = this.batchMeans.length;
    if (n < 2) return Number.NaN;
    let mean = 0;
    for (const value of this.batchMeans) mean += value;
    mean /= n;
    let squares = 0;
    for (const value of this.batchMeans) squares += (value - mean) ** 2;
    return Math.sqrt(squares / (n - 1) / n);
  }
}
