import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
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

/** Reads a whole trace: header, actions (validated) and footer. */
export function readTrace(path: string): {
  header: TraceHeader;
  actions: Array<{ atMs: number; action: Action }>;
  footer: TraceFooter | null;
} {
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString('utf8');
  } catch (e) {
    throw new TraceFormatError(`${path}: not a gzip trace (${(e as Error).message})`);
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  const header = JSON.parse(lines[0] ?? '{}') as TraceHeader;
  if (header.format !== TRACE_FORMAT) throw new TraceFormatError(`${path}: line 1: format must be ${TRACE_FORMAT}, got ${String(header.format)}`);
  const last = JSON.parse(lines.at(-1)!) as Partial<TraceFooter>;
  const footer = last.end === true ? (last as TraceFooter) : null;
  const body = lines.slice(1, footer ? -1 : undefined);
  const actions = body.map((line, i) => {
    const r = loggedActionSchema.safeParse(JSON.parse(line));
    if (!r.success) throw new TraceFormatError(`${path}: line ${i + 2}: ${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
    return r.data as { atMs: number; action: Action };
  });
  return { header, actions, footer };
}
