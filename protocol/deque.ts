import type { Deque } from './types.ts';

export const dequeNew = <T>(): Deque<T> => ({ items: [], head: 0 });
export const dequeSize = <T>(d: Deque<T>): number => d.items.length - d.head;
export const dequePeek = <T>(d: Deque<T>): T | undefined => d.items[d.head];
export const dequePush = <T>(d: Deque<T>, v: T): void => {
  d.items.push(v);
};

/** Puts `v` back in front (a lease that ran out returns its job to where it was). */
export function dequeUnshift<T>(d: Deque<T>, v: T): void {
  if (d.head > 0) d.items[--d.head] = v;
  else d.items.unshift(v);
}

export function dequeShift<T>(d: Deque<T>): T | undefined {
  if (d.head >= d.items.length) return undefined;
  const v = d.items[d.head++];
  // Compact now and then so the array does not grow without bound.
  if (d.head >= 1024 && d.head * 2 >= d.items.length) {
    d.items = d.items.slice(d.head);
    d.head = 0;
  }
  return v;
}

export function dequeToArray<T>(d: Deque<T>): T[] {
  return d.items.slice(d.head);
}
