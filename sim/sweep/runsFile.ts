import { closeSync, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { type AtomicFile, openAtomic } from '../io/writeFileAtomic.ts';

/** One line of a file: its text without the newline, where it starts, and whether a newline ended it. */
export interface Line {
  text: string;
  offset: number;
  length: number;
  /** 1-based, for messages. */
  number: number;
  /** False for a last line without its newline (a write cut short by a kill). */
  complete: boolean;
}

const chunkBytes = 1 << 20;

/** Reads a file line by line with a fixed buffer: memory is one chunk plus the longest line. */
export class LineReader {
  private readonly fd: number;
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  private filePos = 0;
  private eof = false;
  private lineNumber = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  next(): Line | null {
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl >= 0) {
        const line = this.take(nl, true);
        this.buf = this.buf.subarray(nl + 1);
        return line;
      }
      if (this.eof) {
        if (this.buf.length === 0) return null;
        const line = this.take(this.buf.length, false);
        this.buf = Buffer.alloc(0);
        return line;
      }
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const n = readSync(this.fd, chunk, 0, chunkBytes, this.filePos);
      this.filePos += n;
      if (n === 0) this.eof = true;
      else
        this.buf =
          this.buf.length === 0
            ? chunk.subarray(0, n)
            : Buffer.concat([this.buf, chunk.subarray(0, n)]);
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private take(end: number, complete: boolean): Line {
    const offset = this.bufStart;
    this.bufStart += end + (complete ? 1 : 0);
    this.lineNumber += 1;
    return {
      text: this.buf.toString('utf8', 0, end),
      offset,
      length: end,
      number: this.lineNumber,
      complete,
    };
  }
}

/** Every line of a file, one at a time (closes the file when done or abandoned). */
export function* readLines(path: string): Generator<Line> {
  const r = new LineReader(path);
  try {
    for (let l = r.next(); l !== null; l = r.next()) yield l;
  } finally {
    r.close();
  }
}

/**
 * A file written whole or not at all: text goes to a temp file beside it (named for this host and
 * process, so two writers never share one), `commit` renames it into place, `abort` removes it.
 */
export class AtomicWriter {
  private readonly file: AtomicFile;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(readonly path: string) {
    this.file = openAtomic(path, { fsync: true });
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= chunkBytes) this.flush();
  }

  /** Copies `length` bytes at `offset` of an open file descriptor. */
  copyFrom(fd: number, offset: number, length: number): void {
    this.flush();
    const b = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, b, got, length - got, offset + got);
      if (n === 0)
        throw new Error(`copyFrom: file ended at ${offset + got}, expected ${offset + length}`);
      got += n;
    }
    writeSync(this.file.fd, b);
  }

  commit(): void {
    this.flush();
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.file.fd, this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }
}

export interface CanonicalizeParameters {
  path: string;
  /** The run index a parsed line holds, or an error message when the line does not belong here. */
  indexOf: (run: { cell?: unknown; seed?: unknown }) => number | string;
}

export interface CanonicalizeReturnType {
  /** Run indexes the file now holds, ascending. */
  finished: number[];
  /** Lines dropped: torn by a kill, or a repeat of a run already in the file. */
  dropped: number;
  rewritten: boolean;
}

/**
 * Puts a runs file into canonical order: one line per run, ascending run index, every line ended
 * by a newline. A line that does not parse (a write cut short by a kill) and a repeated run are
 * dropped; the file is rewritten (temp file, then rename) only when something changes. Memory:
 * three numbers per line, never the runs. Throws an Error naming file:line for a line that parses
 * but does not belong (indexOf's message).
 */
export function canonicalizeRunsFile(p: CanonicalizeParameters): CanonicalizeReturnType {
  if (!existsSync(p.path)) return { finished: [], dropped: 0, rewritten: false };
  const idx: number[] = [];
  const off: number[] = [];
  const len: number[] = [];
  let dropped = 0;
  let ordered = true;
  let endsWell = true;
  for (const line of readLines(p.path)) {
    if (line.text.trim() === '') continue;
    let run: { cell?: unknown; seed?: unknown };
    try {
      run = JSON.parse(line.text);
    } catch {
      dropped += 1;
      continue;
    }
    const i = p.indexOf(run);
    if (typeof i === 'string') throw new RunsFileError(p.path, line.number, i);
    if (!line.complete) endsWell = false;
    if (idx.length > 0 && i <= idx.at(-1)!) ordered = false;
    idx.push(i);
    off.push(line.offset);
    len.push(line.length);
  }
  const order = idx.map((_, k) => k);
  if (!ordered) order.sort((a, b) => idx[a]! - idx[b]! || a - b);
  const keep = order.filter((k, j) => j === 0 || idx[k] !== idx[order[j - 1]!]);
  dropped += order.length - keep.length;
  const finished = keep.map((k) => idx[k]!);
  if (ordered && dropped === 0 && endsWell) return { finished, dropped, rewritten: false };
  const out = new AtomicWriter(p.path);
  const fd = openSync(p.path, 'r');
  try {
    for (const k of keep) {
      out.copyFrom(fd, off[k]!, len[k]!);
      out.write('\n');
    }
    out.commit();
  } finally {
    closeSync(fd);
    out.abort();
  }
  return { finished, dropped, rewritten: true };
}

/** A line of a runs file that parses but does not belong to the sweep or shard; names file:line. */
export class RunsFileError extends Error {
  override name = 'RunsFileError';
  constructor(
    readonly path: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${path}:${line}: ${detail}`);
  }
}
