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

export type ReadLogReturnType = {
  header: LogHeader;
  entries: LogEntry[];
  truncatedBytes: number;
} | null;

/**
 * Reads a log; null when the file does not exist. A torn last line (a crash mid-write) is cut
 * off the file and reported; any other malformed line is an error naming its number.
 */
export function readLog(path: string): ReadLogReturnType {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const truncatedBytes = Buffer.byteLength(text.slice(end));
  if (truncatedBytes > 0) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
  const lines = text
    .slice(0, end)
    .split('\n')
    .filter((l) => l !== '');
  const parsed = lines.map((line, i) => {
    try {
      return decodeLine(line) as LogHeader | LogEntry;
    } catch {
      throw new Error(`${path}:${i + 1}: not a JSON line`);
    }
  });
  const header = parsed[0];
  if (header?.kind !== 'header' || header.schema !== 'onesim/gateway-log/v1')
    throw new Error(`${path}:1: expected an onesim/gateway-log/v1 header`);
  const entries = parsed.slice(1) as LogEntry[];
  entries.forEach((e, i) => {
    if (e.kind !== 'action' || !Number.isSafeInteger(e.atMs))
      throw new Error(`${path}:${i + 2}: expected an action entry`);
  });
  return { header, entries, truncatedBytes };
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
