import {
  closeSync,
  existsSync,
  fsync,
  fsyncSync,
  openSync,
  readFileSync,
  truncateSync,
  write,
  writeSync,
} from 'node:fs';
import { InputError } from '../../protocol/errors.ts';
import type { Action } from '../../protocol/index.ts';

/** What the gateway needs besides the action to rebuild its own view (job params, worker keys, ONE receipts). */
export type ActionMeta = Record<string, unknown>;

export type LogHeader = {
  kind: 'header';
  schema: 'onesim/gateway-log/v1';
  /** Wall-clock ms (Unix epoch) of protocol time 0: restarts keep the same calendar. */
  genesisEpochMs: number;
  config: Record<string, unknown>;
};

export type LogEntry = { kind: 'action'; atMs: number; action: Action; meta?: ActionMeta };

/** JSON with bigints as `{"$bigint": "123"}`, so money survives the round trip exactly. */
export const encodeLine = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));

export const decodeLine = (line: string): unknown =>
  JSON.parse(line, (_k, v) =>
    v !== null &&
    typeof v === 'object' &&
    typeof v.$bigint === 'string' &&
    Object.keys(v).length === 1
      ? BigInt(v.$bigint)
      : v,
  );

export type ActionLog = {
  readonly path: string;
  append(entry: LogEntry): void;
  /**
   * Group commit: writes every buffered entry and fsyncs; resolves once they survive a crash.
   * Concurrent callers share one write + fsync (answers wait for it, the event loop does not).
   */
  commit(): Promise<void>;
  pending(): number;
  /** Commits what is buffered and closes the file. */
  close(): Promise<void>;
};

/** A log that cannot be replayed as it is: names the file and the line; the file is left untouched. */
export class LogReadError extends InputError {
  override name = 'LogReadError';
  constructor(
    readonly path: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${path}:${line}: ${reason}`, `log:${line}`);
  }
}

export type ReadLogReturnType = {
  header: LogHeader;
  /** Each entry with its line number in the file (the header is line 1). */
  entries: Array<LogEntry & { line: number }>;
  /** Bytes after the last newline: a line torn by a crash mid-write. */
  truncatedBytes: number;
  /** Cuts the torn last line off the file (call once the entries replayed). */
  cutTornTail(): void;
} | null;

function parseLine(path: string, line: string, n: number): LogHeader | LogEntry {
  let v: unknown;
  try {
    v = decodeLine(line);
  } catch {
    throw new LogReadError(
      path,
      n,
      'not a JSON line (the log is corrupted; restore it or start a new one with --log)',
    );
  }
  const e = v as Partial<LogEntry> | null;
  if (n === 1) {
    const h = v as Partial<LogHeader> | null;
    if (h?.kind !== 'header' || h.schema !== 'onesim/gateway-log/v1')
      throw new LogReadError(path, 1, 'expected an onesim/gateway-log/v1 header');
    return h as LogHeader;
  }
  if (
    e === null ||
    typeof e !== 'object' ||
    e.kind !== 'action' ||
    !Number.isSafeInteger(e.atMs) ||
    typeof e.action !== 'object' ||
    e.action === null ||
    typeof (e.action as { type?: unknown }).type !== 'string'
  )
    throw new LogReadError(path, n, 'expected an action entry {kind: "action", atMs, action}');
  return e as LogEntry;
}

/**
 * Reads a log; null when the file does not exist. A torn last line (a crash mid-write) is
 * reported and cut only when `cutTornTail` is called; any other malformed line is a
 * LogReadError naming its number, and the file is not changed.
 */
export function readLog(path: string): ReadLogReturnType {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const truncatedBytes = Buffer.byteLength(text.slice(end));
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  if (lines.length === 0) throw new LogReadError(path, 1, 'empty log: expected a header line');
  const header = parseLine(path, lines[0]!, 1) as LogHeader;
  const entries = lines.slice(1).map((line, i) => ({
    ...(parseLine(path, line, i + 2) as LogEntry),
    line: i + 2,
  }));
  return {
    header,
    entries,
    truncatedBytes,
    cutTornTail: () => {
      if (truncatedBytes > 0) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
    },
  };
}

/** Opens the log for appending (creating it with `header` when new). Appends are buffered until commit. */
export function openLog(path: string, header: LogHeader | null): ActionLog {
  const fd = openSync(path, 'a');
  if (header) {
    writeSync(fd, `${encodeLine(header)}\n`);
    fsyncSync(fd);
  }
  let buffer: string[] = [];
  let inFlight: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  // One batch at a time, in order: appends never interleave out of order.
  const writeBatch = (): Promise<void> => {
    const text = `${buffer.join('\n')}\n`;
    buffer = [];
    return new Promise<void>((resolve, reject) =>
      write(fd, text, (error) =>
        error ? reject(error) : fsync(fd, (e) => (e ? reject(e) : resolve())),
      ),
    );
  };
  const commit = (): Promise<void> => {
    if (inFlight) {
      queued ??= inFlight.then(() => {
        queued = null;
        return commit();
      });
      return queued;
    }
    if (buffer.length === 0) return Promise.resolve();
    inFlight = writeBatch().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
  return {
    path,
    append: (entry) => {
      buffer.push(encodeLine(entry));
    },
    commit,
    pending: () => buffer.length,
    close: async () => {
      await commit();
      await commit();
      closeSync(fd);
    },
  };
}
