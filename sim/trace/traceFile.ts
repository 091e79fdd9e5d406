import { createReadStream, statSync, writeSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { promisify } from 'node:util';
import { createGunzip, gzip, gzipSync } from 'node:zlib';
import { loggedActionSchema, toJsonText } from '../../protocol/actionSchema.ts';
import { InputError } from '../../protocol/errors.ts';
import {
  type Action,
  type Hex,
  type ProtocolEvent,
  type State,
  stateHash,
} from '../../protocol/index.ts';
import { type AtomicFile, openAtomic } from '../io/writeFileAtomic.ts';
import { TraceDecoder, TraceEncoder } from './traceCodec.ts';

/**
 * Format 5 (sim/trace/README.md): gzip members of lines — a JSON header; actions as compact
 * lines predicted from the state before them (traceCodec.ts), or as JSON `{atMs, action}` when
 * they cannot be predicted; JSON checkpoint lines (state hashes during the run); a JSON footer.
 * Formats 1 and 2 (every action as JSON), 3 (the same lines, with the simulator's earlier
 * receipt ids) and 4 (the same lines, hashes of the state before buckets were refilled lazily),
 * whose state hashes cannot be reached, are refused with a message saying to re-run.
 */
export const TRACE_FORMAT = 'onesim-trace/5';
export const traceFormatsRead = [TRACE_FORMAT] as const;
const retiredFormats = ['onesim-trace/1', 'onesim-trace/2', 'onesim-trace/3', 'onesim-trace/4'];
const gzipAsync = promisify(gzip);

/**
 * A checkpoint follows the first action of every simulated day and every `everyActions`-th
 * action. Each costs one state hash (~35 ms for the full-scale baseline), so they are sparse: a
 * baseline day holds ~190k actions, so the day checkpoints already localise a divergence to
 * about that many, and one every million actions adds a few in days with more.
 */
export const checkpointEveryActionsDefault = 1_000_000;

export interface TraceHeader {
  format: (typeof traceFormatsRead)[number];
  scenario: string;
  seed: string;
  days: number;
  commit: string;
  /** Resolved protocol parameters at genesis (JSON: bigints as strings). */
  params: unknown;
  /** Version 2: where the writer put checkpoints (informative: replay reads the lines). */
  checkpoints?: { everyActions: number; perDay: true };
}

export interface TraceFooter {
  end: true;
  actions: number;
  stateHash: Hex;
}

/** The state after `actions` actions (the last one at `atMs`) hashed to `stateHash`. */
export interface TraceCheckpoint {
  actions: number;
  atMs: number;
  stateHash: Hex;
}

/**
 * Writes the trace as gzip members appended to a temp file (one member per ~1 MB of lines),
 * renamed into place on close: a crash never leaves a half-written trace under the final name.
 * With `checkpointFrom(state)`, checkpoint lines record the state's hash as the run goes.
 *
 * With `background: true` the members are compressed on libuv's thread pool (another core)
 * while the run goes on, and written in order; the bytes are the same as compressing here.
 * Any writer may end with `await finish(footer)`; one that compresses in line also with the
 * synchronous `close(footer)`.
 */
export class TraceWriter {
  private readonly file: AtomicFile;
  private lines: string[] = [];
  private bytes = 0;
  private state: State | null = null;
  private lastDay = -1;
  private readonly everyActions: number;
  private readonly encoder = new TraceEncoder();
  private readonly background: boolean;
  /** Background members compressed and written so far, in order (rejects on the first failure). */
  private written: Promise<void> = Promise.resolve();
  count = 0;

  constructor(
    readonly path: string,
    header: Omit<TraceHeader, 'format' | 'checkpoints'> & { format?: TraceHeader['format'] },
    o: { checkpointEveryActions?: number; background?: boolean } = {},
  ) {
    this.background = o.background === true;
    this.everyActions = o.checkpointEveryActions ?? checkpointEveryActionsDefault;
    if (!Number.isSafeInteger(this.everyActions) || this.everyActions < 1)
      throw new RangeError(`checkpointEveryActions must be a positive integer`);
    this.file = openAtomic(path);
    this.push(
      toJsonText({
        ...header,
        format: TRACE_FORMAT,
        checkpoints: { everyActions: this.everyActions, perDay: true },
      }),
    );
  }

  /** The state the actions are applied to (mutated in place): checkpoints hash it, and actions are coded against it. */
  checkpointFrom(state: State): void {
    this.state = state;
  }

  /** Called after `action` was applied at `atMs` (the state already includes it). */
  write(atMs: number, action: Action, events?: readonly ProtocolEvent[]): void {
    this.count += 1;
    this.push(this.encoder.encode(atMs, action, this.state, events));
    if (!this.state) return;
    const day = Math.floor(atMs / this.state.params.dayMs);
    if (day !== this.lastDay || this.count % this.everyActions === 0) {
      this.lastDay = day;
      const checkpoint: TraceCheckpoint = {
        actions: this.count,
        atMs,
        stateHash: stateHash(this.state),
      };
      this.push(toJsonText({ checkpoint }));
    }
  }

  private push(line: string): void {
    this.lines.push(line);
    this.bytes += line.length + 1;
    if (this.bytes >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.bytes = 0;
    if (!this.background) {
      writeSync(this.file.fd, gzipSync(text, { level: 6 }));
      return;
    }
    const member = gzipAsync(text, { level: 6 });
    member.catch(() => {}); // seen through `written`, awaited by finish()
    const fd = this.file.fd;
    this.written = this.written.then(async () => {
      writeSync(fd, await member);
    });
    this.written.catch(() => {});
  }

  close(footer: TraceFooter): void {
    if (this.background) throw new Error('a background trace writer ends with finish()');
    this.push(toJsonText(footer));
    this.flush();
    this.file.commit();
  }

  /** Writes the footer, waits for every member to be written, and renames the file into place. */
  async finish(footer: TraceFooter): Promise<void> {
    this.push(toJsonText(footer));
    this.flush();
    try {
      await this.written;
    } catch (e) {
      this.file.abort();
      throw e;
    }
    this.file.commit();
  }
}

export class TraceFormatError extends InputError {
  override name = 'TraceFormatError';
}

/**
 * The gzip data itself is damaged. `byteOffset` is how far into the file the decoder had read
 * when it failed: the damage is there or, for a checksum error ("incorrect data check"), earlier
 * in the same gzip member (members hold ~1 MB of lines, ~100 KB compressed).
 */
export class TraceCorruptError extends TraceFormatError {
  override name = 'TraceCorruptError';
  constructor(
    readonly path: string,
    readonly byteOffset: number,
    readonly fileBytes: number,
    reason: string,
  ) {
    super(
      `${path}: corrupt gzip data near byte ${byteOffset} of ${fileBytes} (zlib: ${reason}); the trace cannot be replayed`,
    );
  }
}

export type TraceLine =
  | { kind: 'header'; header: TraceHeader }
  | { kind: 'action'; atMs: number; action: Action }
  /** A compact action line: decode it with a TraceDecoder against the state before it. */
  | { kind: 'compact'; line: string }
  | { kind: 'checkpoint'; checkpoint: TraceCheckpoint }
  | { kind: 'footer'; footer: TraceFooter };

const zlibCodes = new Set(['Z_DATA_ERROR', 'Z_BUF_ERROR', 'Z_STREAM_ERROR', 'Z_NEED_DICT']);
const isZlibError = (e: unknown): e is Error & { code: string } =>
  zlibCodes.has((e as { code?: string })?.code ?? '');

/**
 * Streams a trace line by line (traces of long runs do not fit in one string): header first.
 * Throws TraceCorruptError (damaged gzip: the byte offset where decompression failed) or
 * TraceFormatError (a line that is not what the format says, with its number).
 */
export async function* readTraceLines(path: string): AsyncGenerator<TraceLine> {
  for await (const batch of readTraceLineBatches(path)) yield* batch;
}

/**
 * readTraceLines a decompressed chunk at a time (~thousands of lines, one await each rather
 * than one a line): the lines before a bad one come in a batch of their own, then the error.
 */
export async function* readTraceLineBatches(path: string): AsyncGenerator<TraceLine[]> {
  const fileBytes = statSync(path).size;
  const gunzip = createGunzip();
  // Errors of either stream end the iteration below with that error (pipeline destroys both).
  pipeline(createReadStream(path), gunzip, () => {});
  const corrupt = (e: Error) =>
    // bytesWritten: compressed bytes the decoder consumed before it met the damage.
    new TraceCorruptError(path, gunzip.bytesWritten, fileBytes, e.message);
  let n = 0;
  try {
    // destroyOnReturn false: after a bad line the decoder still has to give its verdict.
    for await (const lines of textLineBatches(gunzip.iterator({ destroyOnReturn: false }))) {
      const batch: TraceLine[] = [];
      let failed = false;
      let failure: unknown;
      for (const line of lines) {
        n += 1;
        if (line.length === 0) continue;
        try {
          batch.push(parseTraceLine(path, n, line));
        } catch (e) {
          failed = true;
          failure = e;
          break;
        }
      }
      if (batch.length > 0) yield batch;
      if (failed) throw failure;
    }
  } catch (e) {
    if (isZlibError(e)) throw corrupt(e);
    if (!(e instanceof TraceFormatError) && !(e instanceof SyntaxError)) throw e;
    // Damaged gzip often shows first as a garbled line: the decoder's verdict names the cause.
    const gzipError = await drainError(gunzip);
    if (gzipError) throw corrupt(gzipError);
    if (e instanceof TraceFormatError) throw e;
    throw new TraceFormatError(`${path}: line ${n}: ${(e as Error).message}`);
  } finally {
    gunzip.destroy();
  }
}

function parseTraceLine(path: string, n: number, line: string): TraceLine {
  if (n > 1 && TraceDecoder.isCompact(line)) return { kind: 'compact', line };
  const data = JSON.parse(line) as Record<string, unknown>;
  if (n === 1) {
    if (retiredFormats.includes(data.format as string))
      throw new TraceFormatError(
        `${path}: line 1: ${String(data.format)} traces are no longer read (this onesim reads ${TRACE_FORMAT}); run the scenario again to get a trace in the current format`,
      );
    if (!traceFormatsRead.includes(data.format as TraceHeader['format']))
      throw new TraceFormatError(
        `${path}: line 1: format must be one of ${traceFormatsRead.join(', ')}, got ${String(data.format)}`,
      );
    return { kind: 'header', header: data as unknown as TraceHeader };
  }
  if (data.end === true) return { kind: 'footer', footer: data as unknown as TraceFooter };
  if (data.checkpoint !== undefined) {
    const c = data.checkpoint as Partial<TraceCheckpoint>;
    if (
      !Number.isSafeInteger(c.actions) ||
      !Number.isSafeInteger(c.atMs) ||
      typeof c.stateHash !== 'string'
    )
      throw new TraceFormatError(
        `${path}: line ${n}: checkpoint: expected {actions, atMs, stateHash}`,
      );
    return { kind: 'checkpoint', checkpoint: c as TraceCheckpoint };
  }
  const r = loggedActionSchema.safeParse(data);
  if (!r.success)
    throw new TraceFormatError(
      `${path}: line ${n}: ${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`,
    );
  return { kind: 'action', atMs: r.data.atMs, action: r.data.action as Action };
}

/** Splits a byte stream into UTF-8 lines, the complete lines of each chunk as one array. */
async function* textLineBatches(input: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop()!;
    if (lines.length > 0) yield lines;
  }
  rest += decoder.end();
  if (rest.length > 0) yield [rest];
}

/** Reads the rest of the stream; the zlib error it ends with, if any. */
async function drainError(gunzip: AsyncIterable<Buffer>): Promise<Error | null> {
  try {
    for await (const _ of gunzip);
    return null;
  } catch (e) {
    return isZlibError(e) ? e : null;
  }
}
