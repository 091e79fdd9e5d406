import { createHash, type Hash } from 'node:crypto';
import type { Hex, State } from './types.ts';

/**
 * Canonical encoding of any state value. Object keys are sorted; Maps and Sets keep their
 * iteration order, because that order is part of the state's meaning (round-robin rotation,
 * routing order) and is itself deterministic. Types are tagged so 1, 1n and "1" differ.
 *
 * The text goes to the hash in chunks of ~64 KiB built by string concatenation (V8 ropes,
 * flattened once per chunk), and the sorted key list of an object is looked up by its
 * unsorted list (objects of one kind share a few), so a state of ~10k jobs encodes without
 * sorting or allocating per object.
 */
class Encoder {
  private text = '';
  private readonly sortedKeys = new Map<
    string,
    { keys: readonly string[]; tags: readonly string[] }
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
    const keys = Object.keys(v);
    const id = keys.join('\u0000');
    let sorted = this.sortedKeys.get(id);
    if (sorted === undefined) {
      const k = keys.sort();
      sorted = { keys: k, tags: k.map((x) => `${x}=`) };
      this.sortedKeys.set(id, sorted);
    }
    return sorted;
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

/** sha256 over the canonical encoding of the whole state; equal across runs and machines. */
export function stateHash(state: State): Hex {
  const h = createHash('sha256');
  const e = new Encoder(h);
  e.encode(state);
  e.flush();
  return `0x${h.digest('hex')}`;
}
