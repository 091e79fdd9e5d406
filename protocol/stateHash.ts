import { createHash, type Hash } from 'node:crypto';
import type { Hex, State } from './types.ts';

/**
 * Canonical encoding of any state value. Object keys are sorted; Maps and Sets keep their
 * iteration order, because that order is part of the state's meaning (round-robin rotation,
 * routing order) and is itself deterministic. Types are tagged so 1, 1n and "1" differ.
 *
 * The text goes to the hash in chunks of ~64 KiB built by string concatenation (V8 ropes,
 * flattened once per chunk), and the sorted key list of an object is looked up by its
 * unsorted list (objects of one kind share a few; compared key by key, by text past eight
 * lists with one first key), so a state of ~10k jobs encodes without sorting or allocating per
 * object.
 */
class Encoder {
  private text = '';
  /**
   * Sorted key lists by an object's own key list, found by its first key and compared key by key
   * (objects of one kind share a few lists, so this allocates nothing per object).
   */
  private readonly sortedKeys = new Map<
    string | undefined,
    Array<{ raw: readonly string[]; keys: readonly string[]; tags: readonly string[] }>
  >();
  private readonly byText = new Map<
    string,
    { raw: readonly string[]; keys: readonly string[]; tags: readonly string[] }
  >();
  constructor(private readonly hash: Hash) {}

  private put(piece: string): void {
    this.text += piece;
    if (this.text.length >= 1 << 16) this.flush();
  }

  flush(): void {
    this.hash.update(this.text);
    this.text = '';
  }

  private keysOf(v: object): { keys: readonly string[]; tags: readonly string[] } {
    const raw = Object.keys(v);
    let known = this.sortedKeys.get(raw[0]);
    if (known === undefined) {
      known = [];
      this.sortedKeys.set(raw[0], known);
    }
    for (const entry of known) if (sameKeys(entry.raw, raw)) return entry;
    // Objects used as dictionaries have many key lists: past a few, look them up by their text.
    const id = known.length < 8 ? null : raw.join('\u0000');
    if (id !== null) {
      const byText = this.byText.get(id);
      if (byText !== undefined) return byText;
    }
    const keys = [...raw].sort();
    const entry = { raw, keys, tags: keys.map((x) => `${x}=`) };
    if (id === null) known.push(entry);
    else this.byText.set(id, entry);
    return entry;
  }

  encode(v: unknown): void {
    switch (typeof v) {
      case 'bigint':
        this.put(`n${v};`);
        return;
      case 'number':
        this.put(`d${v};`);
        return;
      case 'string':
        this.put(`s${v.length}:${v}`);
        return;
      case 'boolean':
        this.put(v ? 'T' : 'F');
        return;
      case 'undefined':
        this.put('U');
        return;
    }
    if (v === null) {
      this.put('N');
      return;
    }
    if (Array.isArray(v)) {
      this.put(`[${v.length}`);
      for (const x of v) this.encode(x);
      this.put(']');
      return;
    }
    if (v instanceof Map) {
      this.put(`M${v.size}`);
      for (const [k, x] of v) {
        this.encode(k);
        this.encode(x);
      }
      this.put(')');
      return;
    }
    if (v instanceof Set) {
      this.put(`S${v.size}`);
      for (const x of v) this.encode(x);
      this.put(')');
      return;
    }
    const { keys, tags } = this.keysOf(v as object);
    this.put(`{${keys.length}`);
    for (let i = 0; i < keys.length; i++) {
      this.put(tags[i]!);
      this.encode((v as Record<string, unknown>)[keys[i]!]);
    }
    this.put('}');
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** sha256 over the canonical encoding of the whole state; equal across runs and machines. */
export function stateHash(state: State): Hex {
  const h = createHash('sha256');
  const e = new Encoder(h);
  e.encode(state);
  e.flush();
  return `0x${h.digest('hex')}`;
}
