import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toJsonText } from '../../protocol/actionSchema.ts';
import {
  type Action,
  createState,
  resolveParams,
  simVerifier,
  stateHash,
  step,
} from '../../protocol/index.ts';
import { addr } from '../../protocol/testing/fixtures.ts';
import { replayTrace } from '../run/replayTrace.ts';
import {
  readTraceLines,
  TRACE_FORMAT,
  TraceCorruptError,
  TraceFormatError,
  TraceWriter,
} from './traceFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'onesim-trace-'));
const params = resolveParams({});

/** Deposits by 50 accounts, one every 10 simulated minutes: days of small, distinct actions. */
function deposits(count: number): Array<{ atMs: number; action: Action }> {
  return Array.from({ length: count }, (_, i) => ({
    atMs: i * 600_000,
    action: {
      type: 'deposit',
      account: addr(1 + (i % 50)),
      asset: 'usdc',
      amount: BigInt(1_000 + i),
    } as Action,
  }));
}

/** Writes a trace of `actions` the way a run does: applied, then written, checkpoints on. */
function writeTrace(name: string, actions: ReturnType<typeof deposits>, everyActions: number) {
  const { path, writer, state } = traceWriter(name, actions, everyActions, false);
  writer.close({ end: true, actions: actions.length, stateHash: stateHash(state) });
  return path;
}

function traceWriter(
  name: string,
  actions: ReturnType<typeof deposits>,
  everyActions: number,
  background: boolean,
) {
  const path = join(dir, name);
  const state = createState(params);
  const w = new TraceWriter(
    path,
    {
      scenario: 'test',
      seed: '1',
      days: 1,
      commit: 'test',
      params: JSON.parse(toJsonText(params)),
    },
    { checkpointEveryActions: everyActions, background },
  );
  w.checkpointFrom(state);
  for (const { atMs, action } of actions) {
    expect(step(state, action, atMs, { verifier: simVerifier }).ok).toBe(true);
    w.write(atMs, action);
  }
  return { path, writer: w, state };
}

const textOf = (path: string) => gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n');

describe('trace checkpoints (format onesim-trace/2)', () => {
  it('records one after the first action of each day and every n actions; replay checks them all', async () => {
    const path = writeTrace('clean.jsonl.gz', deposits(400), 100); // 400 × 10 min ≈ 2.8 days
    const lines = textOf(path).map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ format: TRACE_FORMAT, checkpoints: { everyActions: 100 } });
    const at = lines.filter((l) => l.checkpoint).map((l) => l.checkpoint.actions);
    // Day starts after actions 1, 145 and 289 (144 actions a day); every 100th: 100, 200, 300, 400.
    expect(at).toEqual([1, 100, 145, 200, 289, 300, 400]);
    const r = await replayTrace(path);
    expect(r).toMatchObject({ matches: true, checkpoints: 7, firstDifferentCheckpoint: null });
  });

  it('an edited action: replay names the first checkpoint that differs and the range it follows', async () => {
    const path = writeTrace('edited.jsonl.gz', deposits(400), 100);
    const lines = textOf(path);
    // Action #150 (0-based): raise its amount by one unit; everything else untouched.
    const actionLines = lines.flatMap((l, i) => (JSON.parse(l).action ? [i] : []));
    const at = actionLines[150]!;
    const d = JSON.parse(lines[at]!);
    d.action.amount = String(BigInt(d.action.amount) + 1n);
    const edited = lines.with(at, JSON.stringify(d));
    writeFileSync(path, gzipSync(`${edited.join('\n')}\n`));
    const r = await replayTrace(path);
    expect(r.matches).toBe(false);
    expect(r.firstRejection).toBeNull(); // the edited deposit is still a valid action
    expect(r.firstDifferentCheckpoint).toMatchObject({
      checkpoint: 3, // after action #199 (the 200th)
      actionIndex: 199,
      day: 1,
      lastMatchingActionIndex: 144,
    });
  });

  it.each(['onesim-trace/1', 'onesim-trace/2', 'onesim-trace/3', 'onesim-trace/4'])(
    'refuses a %s trace, saying to run the scenario again',
    async (format) => {
      const path = join(dir, `${format.replace('/', '-')}.jsonl.gz`);
      const action = { atMs: 0, action: deposits(1)[0]!.action };
      writeFileSync(path, gzipSync(`${JSON.stringify({ format })}\n${toJsonText(action)}\n`));
      await expect(replayTrace(path)).rejects.toThrow(
        new RegExp(`line 1: ${format} traces are no longer read .*run the scenario again`),
      );
    },
  );

  it('refuses an unknown format, naming the one it reads', async () => {
    const path = join(dir, 'v9.jsonl.gz');
    writeFileSync(path, gzipSync(`${JSON.stringify({ format: 'onesim-trace/9' })}\n`));
    await expect(replayTrace(path)).rejects.toThrow(
      /line 1: format must be one of onesim-trace\/5, got onesim-trace\/9/,
    );
  });
});

describe('a damaged trace file', () => {
  // ~3 MB of lines: several gzip members, so damage can sit in the middle of the file.
  const clean = writeTrace('big.jsonl.gz', deposits(20_000), 5_000);
  const bytes = readFileSync(clean);
  const drain = async (path: string) => {
    for await (const _ of readTraceLines(path));
  };

  it.each([
    ['flipped bytes mid-file', 0.5],
    ['flipped bytes a third in', 0.34],
    ['flipped bytes near the end', 0.97],
  ])('%s: TraceCorruptError naming the file and a byte offset near the damage', async (_, at) => {
    const damaged = Buffer.from(bytes);
    const offset = Math.floor(bytes.length * at);
    for (let i = offset; i < offset + 8; i++) damaged[i] = damaged[i]! ^ 0xff;
    const path = join(dir, `flipped-${at}.jsonl.gz`);
    writeFileSync(path, damaged);
    const error = await drain(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TraceCorruptError);
    const e = error as TraceCorruptError;
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/corrupt gzip data near byte \d+ of \d+/);
    expect(e.fileBytes).toBe(bytes.length);
    // The decoder notices within a gzip member (~1 MB of lines) of the damage, never before it
    // by more than one input slice.
    expect(e.byteOffset).toBeGreaterThan(offset - 64 * 1024);
    expect(e.byteOffset).toBeLessThanOrEqual(bytes.length);
  });

  it('a truncated file: TraceCorruptError at its end', async () => {
    const path = join(dir, 'truncated.jsonl.gz');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(drain(path)).rejects.toThrow(TraceCorruptError);
    await expect(drain(path)).rejects.toThrow(/unexpected end of file/);
  });

  it('a line that is not JSON in intact gzip: TraceFormatError with the line number', async () => {
    const path = join(dir, 'garbled.jsonl.gz');
    const lines = textOf(writeTrace('small.jsonl.gz', deposits(5), 100));
    lines[3] = '{"atMs": 0, oops';
    writeFileSync(path, gzipSync(`${lines.join('\n')}\n`));
    const error = await drain(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceFormatError);
    expect(error).not.toBeInstanceOf(TraceCorruptError);
    expect((error as Error).message).toMatch(/garbled\.jsonl\.gz: line 4: /);
  });
});

describe('a trace compressed in the background (onesim run)', () => {
  it('has the same bytes as one compressed in line, and only finish() ends it', async () => {
    // ~60k deposits: several ~1 MB members, so members finish out of the order they started in
    // only if the writer failed to keep it.
    const actions = deposits(60_000);
    const inline = writeTrace('inline.jsonl.gz', actions, 5_000);
    const { path, writer, state } = traceWriter('background.jsonl.gz', actions, 5_000, true);
    const footer = { end: true, actions: actions.length, stateHash: stateHash(state) } as const;
    expect(() => writer.close(footer)).toThrow(/finish\(\)/);
    await writer.finish(footer);
    expect(readFileSync(path).equals(readFileSync(inline))).toBe(true);
    expect(textOf(path).length).toBeGreaterThan(60_000);
  });
});
