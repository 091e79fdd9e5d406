import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One kernel from onnxruntime's own profile (SessionOptions.enableProfiling): the node's op, the
 * execution provider that ran it, and the shapes it saw. This is onnxruntime's account of a run,
 * not ours: FLOP counts and provider placement are read from it.
 */
export type NodeEvent = {
  node: string;
  op: string;
  provider: string;
  inputShapes: number[][];
  outputShapes: number[][];
};

type RawEvent = {
  cat?: string;
  name?: string;
  args?: {
    op_name?: string;
    provider?: string;
    input_type_shape?: Record<string, number[]>[];
    output_type_shape?: Record<string, number[]>[];
  };
};

const shapesOf = (list: Record<string, number[]>[] | undefined): number[][] =>
  (list ?? []).map((entry) => Object.values(entry)[0] ?? []);

/** Node events of a profile JSON (an array of Chrome-trace events). */
export function parseProfileEvents(json: string): NodeEvent[] {
  const events = JSON.parse(json) as RawEvent[];
  if (!Array.isArray(events)) throw new Error('profile: expected a JSON array of trace events');
  return events
    .filter((e) => e.cat === 'Node' && e.args?.op_name && e.name?.endsWith('_kernel_time'))
    .map((e) => ({
      node: e.name!.slice(0, -'_kernel_time'.length),
      op: e.args!.op_name!,
      provider: e.args!.provider ?? 'unknown',
      inputShapes: shapesOf(e.args!.input_type_shape),
      outputShapes: shapesOf(e.args!.output_type_shape),
    }));
}

/** A fresh folder for a profile file, and a reader that parses and deletes it. */
export function profileFolder(): {
  prefix: string;
  read: () => NodeEvent[];
  discard: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-ort-profile-'));
  return {
    prefix: join(dir, 'profile'),
    discard: () => rmSync(dir, { recursive: true, force: true }),
    read() {
      try {
        const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
        if (files.length !== 1)
          throw new Error(`profile: expected one file in ${dir}, found ${files.length}`);
        return parseProfileEvents(readFileSync(join(dir, files[0]!), 'utf8'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** How many graph nodes each execution provider ran, e.g. {CUDAExecutionProvider: 120, CPUExecutionProvider: 4}. */
export function nodesByProvider(events: readonly NodeEvent[]): Record<string, number> {
  const seen = new Set<string>();
  const out: Record<string, number> = {};
  for (const e of events) {
    const key = `${e.node}\u0000${e.provider}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out[e.provider] = (out[e.provider] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
