/**
 * Binary min-heap of events stored in parallel typed arrays, ordered by (timeMs, seq).
 * No object per event: an entry is four numbers at the same index. The caller supplies
 * `seq`, which must be unique, so ties in time break deterministically by seq.
 */
export class EventHeap {
  timeMs: Float64Array;
  seq: Float64Array;
  kind: Int32Array;
  payload: Float64Array;
  size = 0;
  private readonly capacityMax: number;

  constructor(parameters: { capacityInitial: number; capacityMax: number }) {
    const capacity = Math.max(1, Math.min(parameters.capacityInitial, parameters.capacityMax));
    this.capacityMax = parameters.capacityMax;
    this.timeMs = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Int32Array(capacity);
    this.payload = new Float64Array(capacity);
  }

  /** Inserts an entry; the caller checks the bound (`size < capacityMax`) first. */
  push(timeMs: number, seq: number, kind: number, payload: number): void {
    if (this.size === this.timeMs.length) this.grow();
    const times = this.timeMs;
    const seqs = this.seq;
    const kinds = this.kind;
    const payloads = this.payload;
    // Sift up with a hole: move parents down until the new entry's place is found.
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTimeMs = times[parent]!;
      if (parentTimeMs < timeMs || (parentTimeMs === timeMs && seqs[parent]! < seq)) break;
      times[i] = parentTimeMs;
      seqs[i] = seqs[parent]!;
      kinds[i] = kinds[parent]!;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    times[i] = timeMs;
    seqs[i] = seq;
    kinds[i] = kind;
    payloads[i] = payload;
  }

  /** Removes the minimum entry (index 0); read its fields before calling. */
  removeTop(): void {
    const last = --this.size;
    if (last <= 0) return;
    const times = this.timeMs;
    const seqs = this.seq;
    const kinds = this.kind;
    const payloads = this.payload;
    const timeMs = times[last]!;
    const seq = seqs[last]!;
    const kind = kinds[last]!;
    const payload = payloads[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last) {
        const tr = times[right]!;
        const tc = times[child]!;
        if (tr < tc || (tr === tc && seqs[right]! < seqs[child]!)) child = right;
      }
      const childTimeMs = times[child]!;
      if (timeMs < childTimeMs || (timeMs === childTimeMs && seq < seqs[child]!)) break;
      times[i] = childTimeMs;
      seqs[i] = seqs[child]!;
      kinds[i] = kinds[child]!;
      payloads[i] = payloads[child]!;
      i = child;
    }
    times[i] = timeMs;
    seqs[i] = seq;
    kinds[i] = kind;
    payloads[i] = payload;
  }

  /** Doubling keeps pushes amortised O(1); never beyond capacityMax. */
  private grow(): void {
    const capacity = Math.min(this.timeMs.length * 2, this.capacityMax);
    const timeMs = new Float64Array(capacity);
    const seq = new Float64Array(capacity);
    const kind = new Int32Array(capacity);
    const payload = new Float64Array(capacity);
    timeMs.set(this.timeMs);
    seq.set(this.seq);
    kind.set(this.kind);
    payload.set(this.payload);
    this.timeMs = timeMs;
    this.seq = seq;
    this.kind = kind;
    this.payload = payload;
  }
}
