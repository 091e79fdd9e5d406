import { closeSync, createReadStream, openSync, renameSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, gzipSync } from 'node:zlib';
import { loggedActionSchema, toJsonText } from '../../protocol/actionSchema.ts';
import type { Action, Hex } from '../../protocol/index.ts';

export const TRACE_FORMAT = 'onesim-trace/1';

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  scenario: string;
  seed: string;
  days: number;
  commit: string;
  /** Resolved protocol parameters at genesis (JSON: bigints as strings). */
  params: unknown;
}

export interface TraceFooter {
  end: true;
  actions: number;
  stateHash: Hex;
}

/**
 * Writes the trace as gzip members appended to a temp file (one member per ~1 MB of lines),
 * renamed into place on close: a crash never leaves a half-written trace under the final name.
 */
export class TraceWriter {
  private readonly fd: number;
  private lines: string[] = [];
  private bytes = 0;
  count = 0;

  constructor(
    readonly path: string,
    header: TraceHeader,
  ) {
    this.fd = openSync(`${path}.tmp`, 'w');
    this.push(toJsonText(header));
  }

  write(atMs: number, action: Action): void {
    this.count += 1;
    this.push(toJsonText({ atMs, action }));
  }

  private push(line: string): void {
    this.lines.push(line);
    this.bytes += line.length + 1;
    if (this.bytes >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    writeSync(this.fd, gzipSync(`${this.lines.join('\n')}\n`, { level: 1 }));
    this.lines = [];
    this.bytes = 0;
  }

  close(footer: TraceFooter): void {
    this.push(toJsonText(footer));
    this.flush();
    closeSync(this.fd);
    renameSync(`${this.path}.tmp`, this.path);
  }
}

export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
}

export type TraceLine =
  | { kind: 'header'; header: TraceHeader }
  | { kind: 'action'; atMs: number; action: Action }
  | { kind: 'footer'; footer: TraceFooter };

/** Streams a trace line by line (traces of long runs do not fit in one string): header first. */
export async function* readTraceLines(path: string): AsyncGenerator<TraceLine> {
  const lines = createInterface({
    input: createReadStream(path).pipe(createGunzip()),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  try {
    for await (const line of lines) {
      n += 1;
      if (line.length === 0) continue;
      const data = JSON.parse(line) as Record<string, unknown>;
      if (n === 1) {
        if (data.format !== TRACE_FORMAT)
          throw new TraceFormatError(
            `${path}: line 1: format must be ${TRACE_FORMAT}, got ${String(data.format)}`,
          );
        yield { kind: 'header', header: data as unknown as TraceHeader };
      } else if (data.end === true)
        yield { kind: 'footer', footer: data as unknown as TraceFooter };
      else {
        const r = loggedActionSchema.safeParse(data);
        if (!r.success)
          throw new TraceFormatError(
            `${path}: line ${n}: ${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`,
          );
        yield { kind: 'action', atMs: r.data.atMs, action: r.data.action as Action };
      }
    }
  } catch (e) {
    if (e instanceof TraceFormatError) throw e;
    throw new TraceFormatError(`${path}: line ${n}: ${(e as Error).message}`);
  }
}
