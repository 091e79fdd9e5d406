import { createHash, type Hash } from 'node:crypto';
import type { Hex, State } from './types.ts';

/**
 * Canonical encoding of any state value. Object keys are sorted; Maps and Sets keep their
 * iteration order, because that order is part of the state's meaning (round-robin rotation,
 * routing order) and is itself deterministic. Types are tagged so 1, 1n and "1" differ.
 */
function encode(h: Sink, v: unknown): void {
  switch (typeof v) {
    case 'bigint':
      h.update(`n${v};`);
      return;
    case 'number':
      h.update(`d${v};`);
      return;
    case 'string':
      h.update(`s${v.length}:${v}`);
      return;
    case 'boolean':
      h.update(v ? 'T' : 'F');
      return;
    case 'undefined':
      h.update('U');
      return;
  }
  if (v === null) return void h.update('N');
  if (Array.isArray(v)) {
    h.update(`[${v.length}`);
    for (const x of v) encode(h, x);
    return void h.update(']');
  }
  if (v instanceof Map) {
    h.update(`M${v.size}`);
    for (const [k, x] of v) {
      encode(h, k);
      encode(h, x);
    }
    return void h.update(')');
  }
  if (v instanceof Set) {
    h.update(`S${v.size}`);
    for (const x of v) encode(h, x);
    return void h.update(')');
  }
  const keys = Object.keys(v as object).sort();
  h.update(`{${keys.length}`);
  for (const k of keys) {
    h.update(`${k}=`);
    encode(h, (v as Record<string, unknown>)[k]);
  }
  h.update('}');
}

/** sha256 over the canonical encoding of the whole state; equal across runs and machines. */
/** Buffers small pieces so the hash sees a few large updates instead of millions of tiny ones. */
class Sink {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly hash: Hash) {}
  update(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 16) this.flush();
  }
  flush(): void {
    this.hash.update(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

export function stateHash(state: State): Hex {
  const h = createHash('sha256');
  const sink = new Sink(h);
  encode(sink, state);
  sink.flush();
  return `0x${h.digest('hex')}`;
}
