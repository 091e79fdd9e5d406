import type { Job } from './types.ts';

const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * The state's jobs: a `Map<number, Job>` in every observable way (same entries, same iteration
 * order, live iterators), stored as an array indexed by id while ids arrive in increasing order,
 * as `submitJob` inserts them. A Map of ~50k jobs that turn over every settlement epoch rehashes
 * a table of megabytes every few thousand insertions; the array only appends and, now and then,
 * drops its settled front. Any insertion the array cannot place where a Map would (a key not
 * above every present key, a key that is not an integer, an undefined value, a large gap) moves
 * the entries into the Map itself, which serves them from then on.
 *
 * `structuredClone` copies a Map's own entries only, and these live in the array: clone a state
 * with `cloneState` (protocol/state.ts), which rebuilds the table.
 */
export class JobTable extends Map<number, Job> {
  /** Jobs by `id - base`; undefined where a job was deleted (or never was). */
  private items: (Job | undefined)[] = [];
  private base = 0;
  /** Index of the first present job (items.length when none). */
  private head = 0;
  private live = 0;
  /** Entries live in the Map itself (super) rather than in `items`. */
  private inMap = false;
  /** Bumped when the entries move to the Map: array iterators then stop (see `JobTableIterator`). */
  generation = 0;
  /** Bumped when an empty table takes a new first entry: unfinished iterators start over. */
  restarts = 0;

  // No entries here: the Map constructor would call `set` before this class's fields exist.
  // biome-ignore lint/complexity/noUselessConstructor: it narrows Map's signature; build with `from`
  constructor() {
    super();
  }

  static from(entries: Iterable<readonly [number, Job]>): JobTable {
    const t = new JobTable();
    for (const [k, v] of entries) t.set(k, v);
    return t;
  }

  /** True while the entries are in the array (for tests). */
  get arrayBacked(): boolean {
    return !this.inMap;
  }

  override get size(): number {
    return this.inMap ? super.size : this.live;
  }

  override get(id: number): Job | undefined {
    if (this.inMap) return super.get(id);
    if (typeof id !== 'number') return undefined;
    const i = id - this.base;
    // In range only: a negative or past-the-end index would take V8's slow keyed load.
    return i >= this.head && i < this.items.length ? this.items[i] : undefined;
  }

  override has(id: number): boolean {
    if (this.inMap) return super.has(id);
    return this.get(id) !== undefined;
  }

  override set(id: number, job: Job): this {
    if (this.inMap) {
      super.set(id, job);
      return this;
    }
    const items = this.items;
    if (job !== undefined && Number.isSafeInteger(id)) {
      if (this.live === 0) {
        // Empty: any integer starts a new run (nothing present to keep the order of). A Map's
        // unfinished iterator would visit every entry added from here: ours start over.
        items.length = 0;
        this.restarts += 1;
        this.base = id;
        this.head = 0;
        items.push(job);
        this.live = 1;
        return this;
      }
      const i = id - this.base;
      if (i === items.length) {
        items.push(job);
        this.live += 1;
        return this;
      }
      if (i >= this.head && i < items.length && items[i] !== undefined) {
        items[i] = job; // a present key keeps its place, as in a Map
        return this;
      }
      if (i > items.length && i - items.length <= 1024 + items.length) {
        while (items.length < i) items.push(undefined);
        items.push(job);
        this.live += 1;
        return this;
      }
    }
    this.moveToMap();
    super.set(id, job);
    return this;
  }

  override delete(id: number): boolean {
    if (this.inMap) return super.delete(id);
    if (typeof id !== 'number') return false;
    const items = this.items;
    const i = id - this.base;
    if (!(i >= this.head) || items[i] === undefined) return false;
    items[i] = undefined;
    this.live -= 1;
    if (this.live === 0) {
      items.length = 0;
      this.head = 0;
      return true;
    }
    if (i === this.head) {
      let h = i + 1;
      while (items[h] === undefined) h++;
      this.head = h;
      // Drop the settled front once it is most of the array (iterators count by key, not index).
      if (h >= 1024 && h * 2 >= items.length) {
        items.copyWithin(0, h);
        items.length -= h;
        this.base += h;
        this.head = 0;
      }
    }
    return true;
  }

  override clear(): void {
    // In the Map, it stays there: the Map's own unfinished iterators go on to what comes next.
    if (this.inMap) super.clear();
    this.items.length = 0;
    this.head = 0;
    this.live = 0;
  }

  override entries(): MapIterator<[number, Job]> {
    if (this.inMap) return super.entries();
    return new JobTableIterator(this, 2) as MapIterator<[number, Job]>;
  }

  override keys(): MapIterator<number> {
    if (this.inMap) return super.keys();
    return new JobTableIterator(this, 0) as MapIterator<number>;
  }

  override values(): MapIterator<Job> {
    if (this.inMap) return super.values();
    return new JobTableIterator(this, 1) as MapIterator<Job>;
  }

  override [Symbol.iterator](): MapIterator<[number, Job]> {
    return this.entries();
  }

  override forEach(
    f: (job: Job, id: number, map: Map<number, Job>) => void,
    thisArg?: unknown,
  ): void {
    if (this.inMap) {
      super.forEach(f, thisArg);
      return;
    }
    for (const [id, job] of this.entries()) f.call(thisArg, job, id, this);
  }

  /** Shown as the Map it stands for (node's inspect reads a Map's own entries, which are empty). */
  [inspectCustom](
    _depth: number,
    options: object,
    inspect: (v: unknown, o: object) => string,
  ): string {
    return inspect(new Map(this.entries()), options);
  }

  /** The first present job at or after key `from` (its key in `found`); undefined at the end. */
  nextFrom(from: number): Job | undefined {
    let i = from - this.base;
    if (i < this.head) i = this.head;
    const items = this.items;
    for (; i < items.length; i++) {
      const job = items[i];
      if (job !== undefined) {
        this.found = this.base + i;
        return job;
      }
    }
    return undefined;
  }

  /** The key of the entry `nextFrom` last returned. */
  found = 0;

  private moveToMap(): void {
    const items = this.items;
    for (let i = this.head; i < items.length; i++) {
      const job = items[i];
      if (job !== undefined) super.set(this.base + i, job);
    }
    items.length = 0;
    this.head = 0;
    this.live = 0;
    this.inMap = true;
    this.generation += 1;
  }
}

/**
 * A live iterator over the array, like a Map's: it walks by key, so it sees jobs added behind it
 * and skips jobs deleted ahead of it, whatever compaction happens meanwhile. If the table moves
 * its entries into the Map during the walk, it throws rather than guess where it was.
 */
class JobTableIterator<T> implements IterableIterator<T> {
  private key = Number.NEGATIVE_INFINITY;
  private readonly generation: number;
  private restarts: number;
  private done = false;

  constructor(
    private readonly table: JobTable,
    /** 0: keys, 1: values, 2: entries. */
    private readonly kind: 0 | 1 | 2,
  ) {
    this.generation = table.generation;
    this.restarts = table.restarts;
  }

  next(): IteratorResult<T, undefined> {
    if (this.done) return { value: undefined, done: true };
    const t = this.table;
    if (t.generation !== this.generation)
      throw new Error(
        'JobTable: the jobs were inserted out of id order during an iteration over them',
      );
    if (t.restarts !== this.restarts) {
      this.restarts = t.restarts;
      this.key = Number.NEGATIVE_INFINITY;
    }
    const job = t.nextFrom(this.key);
    if (job === undefined) {
      this.done = true;
      return { value: undefined, done: true };
    }
    const id = t.found;
    this.key = id + 1;
    const value = this.kind === 1 ? job : this.kind === 0 ? id : [id, job];
    return { value: value as T, done: false };
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this;
  }
}
