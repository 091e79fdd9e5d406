/** A binary min-heap of (atMs, id) pairs in two parallel arrays; ties break by the smaller id. */
export interface TimeHeap {
  atMs: number[];
  jobIds: number[];
}

const less = (h: TimeHeap, i: number, j: number): boolean =>
  h.atMs[i]! < h.atMs[j]! || (h.atMs[i] === h.atMs[j] && h.jobIds[i]! < h.jobIds[j]!);

function swap(h: TimeHeap, i: number, j: number): void {
  const t = h.atMs[i]!;
  h.atMs[i] = h.atMs[j]!;
  h.atMs[j] = t;
  const u = h.jobIds[i]!;
  h.jobIds[i] = h.jobIds[j]!;
  h.jobIds[j] = u;
}

export function heapPush(h: TimeHeap, atMs: number, id: number): void {
  h.atMs.push(atMs);
  h.jobIds.push(id);
  let i = h.atMs.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!less(h, i, parent)) break;
    swap(h, i, parent);
    i = parent;
  }
}

export const heapPeekAt = (h: TimeHeap): number | undefined => h.atMs[0];

export function heapPop(h: TimeHeap): number | undefined {
  const n = h.atMs.length;
  if (n === 0) return undefined;
  const top = h.jobIds[0]!;
  swap(h, 0, n - 1);
  h.atMs.pop();
  h.jobIds.pop();
  let i = 0;
  const m = n - 1;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let s = i;
    if (l < m && less(h, l, s)) s = l;
    if (r < m && less(h, r, s)) s = r;
    if (s === i) break;
    swap(h, i, s);
    i = s;
  }
  return top;
}
