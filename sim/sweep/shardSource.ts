import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { LineReader, readLines } from './runsFile.ts';
import type { SweepRunResult } from './runTask.ts';
import { SweepSpecError } from './sweepErrors.ts';
import { inShard, type Shard, type WorkList } from './workList.ts';

interface Entry {
  index: number;
  text: string;
  number: number;
  run: SweepRunResult;
}

/** How every runs line starts (JSON.stringify of a SweepRunResult): read without a full parse. */
const prefix = /^\{"cell":(\d+),"seed":(\d+),/;

/**
 * One shard's runs file, read in canonical order for a merge. A first pass reads every line's
 * run index (a run of this sweep and of this shard; only a last line cut short by a kill may be
 * incomplete); the second parses each line in full as it hands it out.
 * A file in canonical order (every finished shard's) is then streamed a line at a time; a file
 * out of order (a shard killed before it sorted its file) is read through an index of line
 * offsets, three numbers a line.
 */
export class ShardSource {
  /** Runs handed to the merge. */
  taken = 0;
  /** A last line torn by a kill (its run counts as missing). */
  torn = false;
  private reader: LineReader | null = null;
  private offsets: {
    index: number[];
    offset: number[];
    length: number[];
    number: number[];
  } | null = null;
  private fd: number | null = null;
  private cursor = 0;
  private peeked: Entry | null = null;
  /** The run indexOf last parsed in full. */
  private parsed: SweepRunResult | null = null;

  constructor(
    readonly path: string,
    readonly shard: Shard,
    private readonly list: WorkList,
  ) {
    if (!existsSync(path)) return;
    const index: number[] = [];
    const offset: number[] = [];
    const length: number[] = [];
    const number: number[] = [];
    let ordered = true;
    for (const line of readLines(path)) {
      if (line.text.trim() === '') continue;
      const i = this.indexOf(line.text, line.number, !line.complete, true);
      if (i === null) continue;
      if (index.length > 0 && i <= index.at(-1)!) ordered = false;
      index.push(i);
      offset.push(line.offset);
      length.push(line.length);
      number.push(line.number);
    }
    if (ordered) this.reader = new LineReader(path);
    else {
      const order = index.map((_, k) => k).sort((a, b) => index[a]! - index[b]! || a - b);
      this.offsets = {
        index: order.map((k) => index[k]!),
        offset: order.map((k) => offset[k]!),
        length: order.map((k) => length[k]!),
        number: order.map((k) => number[k]!),
      };
      this.fd = openSync(path, 'r');
    }
    this.peeked = this.read();
  }

  /** The line of run `i` when this file holds it (then moves past it and any identical repeat). */
  take(i: number): Entry | null {
    if (this.peeked === null || this.peeked.index !== i) return null;
    const got = this.peeked;
    this.peeked = this.read();
    while (this.peeked !== null && this.peeked.index === i) {
      if (this.peeked.text !== got.text)
        throw new SweepSpecError(
          `${this.path}:${this.peeked.number}`,
          `run #${i} appears twice with different results (lines ${got.number} and ${this.peeked.number})`,
        );
      this.peeked = this.read();
    }
    this.taken += 1;
    return got;
  }

  /** Asserts every line was handed out (the merge visits every index in order). */
  finish(): void {
    if (this.peeked !== null)
      throw new Error(`${this.path}:${this.peeked.number}: run #${this.peeked.index} was skipped`);
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /**
   * The run index of a line (with `quick`, from its first bytes when it starts as every runs line
   * does), and the parsed run otherwise; null for a torn last line; SweepSpecError names file:line.
   */
  private indexOf(text: string, number: number, last: boolean, quick = false): number | null {
    const m = quick && last === false ? prefix.exec(text) : null;
    let r: { cell?: unknown; seed?: unknown };
    try {
      r = m ? { cell: Number(m[1]), seed: Number(m[2]) } : JSON.parse(text);
      this.parsed = m ? null : (r as SweepRunResult);
    } catch {
      if (last) {
        this.torn = true;
        return null;
      }
      throw new SweepSpecError(`${this.path}:${number}`, 'not a run (a damaged line)');
    }
    const i =
      typeof r.cell === 'number' && typeof r.seed === 'number'
        ? this.list.indexOf(r.cell, r.seed)
        : -1;
    if (i < 0)
      throw new SweepSpecError(
        `${this.path}:${number}`,
        `(cell ${JSON.stringify(r.cell)}, seed ${JSON.stringify(r.seed)}) is not a run of this sweep`,
      );
    if (!inShard(i, this.shard))
      throw new SweepSpecError(
        `${this.path}:${number}`,
        `run #${i} belongs to shard ${i % this.shard.count}/${this.shard.count}, not ${this.shard.index}/${this.shard.count}`,
      );
    return i;
  }

  private read(): Entry | null {
    if (this.offsets !== null) {
      const o = this.offsets;
      if (this.cursor >= o.index.length) return null;
      const k = this.cursor++;
      const b = Buffer.allocUnsafe(o.length[k]!);
      readSync(this.fd!, b, 0, b.length, o.offset[k]!);
      const text = b.toString('utf8');
      this.indexOf(text, o.number[k]!, false);
      return { index: o.index[k]!, text, number: o.number[k]!, run: this.parsed! };
    }
    for (let line = this.reader?.next() ?? null; line !== null; line = this.reader!.next()) {
      if (line.text.trim() === '') continue;
      const i = this.indexOf(line.text, line.number, !line.complete);
      if (i !== null) return { index: i, text: line.text, number: line.number, run: this.parsed! };
    }
    return null;
  }
}
